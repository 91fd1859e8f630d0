/**
 * Acknowledging and resolving by hand in the real side server, on each database: persisted
 * with who and when, and every client is sent the changed list. A rule with no hold on every
 * car park opens alerts at once (SIM_SPEED 60, every lot reports every tick).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "@/lib/config";
import { PROVIDERS, unavailable } from "@/lib/db/test-databases";
import { Event, ZAlertState, type TAlert } from "@/lib/realtime/protocol";
import type { SideServer } from "../app";
import { api, bootSideServer, connect, hello, queryRows, sideServerDatabase, tempDir, waitFor, type TestClient } from "./helpers";

const TOKEN = "alert-ack-test-admin-token";
const ANY_LOT = { name: { zh: "任一停车场", en: "Any car park" }, metricId: "parking.occupancy", scope: "shenzhen", kind: "lot", direction: "above", threshold: 1, clearAt: 0, forSeconds: 0, severity: "warning" };

type Row = { id: string; entityId: string; acknowledgedTs: number | null; acknowledgedBy: string | null; ackComment: string | null; resolvedTs: number | null; resolvedBy: string | null; resolveComment: string | null };

for (const provider of PROVIDERS) describe.skipIf(unavailable(provider))(`acknowledging and resolving alerts on ${provider}`, () => ackContract(provider));

function ackContract(provider: Provider): void {
  const temp = tempDir();
  let database: Awaited<ReturnType<typeof sideServerDatabase>>;
  let server: SideServer;
  let client: TestClient;
  const announced: TAlert[][] = [];
  const latest = () => announced.at(-1) ?? [];
  const row = async (id: string) =>
    (await queryRows<Row>(server.db, () => `SELECT "id", "entityId", "acknowledgedTs", "acknowledgedBy", "ackComment", "resolvedTs", "resolvedBy", "resolveComment" FROM "Alert" WHERE "id" = ?`, id))[0];
  let first: TAlert;

  beforeAll(async () => {
    database = await sideServerDatabase(provider, "alertack");
    server = await bootSideServer(temp.dir, { ...database.env, SIM_SPEED: "60", SIM_ENTITY_EVERY: "1", ADMIN_TOKEN: TOKEN });
    client = await connect(server.port);
    await hello(client);
    client.on(Event.alerts, (raw) => announced.push(ZAlertState.parse(raw).alerts));
    expect((await api(server.port, "PUT", "/alerts/rules/lot-any", { token: TOKEN, body: ANY_LOT })).status).toBe(200);
    first = await waitFor("an alert of lot-any", () => latest().find((a) => a.ruleId === "lot-any"), 20_000);
  }, 40_000);

  afterAll(async () => {
    client?.close();
    await server?.close();
    await database?.drop();
    temp.cleanup();
  });

  it("refuses without the admin token (401), an unknown id (404) and a bad body (400, the field named)", async () => {
    expect((await api(server.port, "POST", `/alerts/${first.id}/ack`, { body: { by: "op" } })).status).toBe(401);
    expect((await api(server.port, "POST", `/alerts/${first.id}/resolve`, { token: "wrong-token-of-same-size-xx", body: { by: "op" } })).status).toBe(401);
    expect(await api(server.port, "POST", "/alerts/no-such-alert/ack", { token: TOKEN, body: { by: "op" } })).toMatchObject({ status: 404, body: { error: "id: no alert no-such-alert" } });
    expect(await api(server.port, "POST", `/alerts/${first.id}/ack`, { token: TOKEN, body: { by: "op", comment: "x".repeat(501) } })).toMatchObject({ status: 400, body: { error: "comment: must be at most 500 characters" } });
    expect((await api(server.port, "POST", `/alerts/${first.id}/ack`, { token: TOKEN, body: { comment: "who?" } })).status).toBe(400);
    expect((await api(server.port, "GET", `/alerts/${first.id}/ack`)).status).toBe(405);
    expect(await row(first.id)).toMatchObject({ acknowledgedTs: null, resolvedTs: null });
  });

  it("an operator's acknowledgement is persisted and sent to every client with who and the comment", async () => {
    const before = Date.now();
    const res = await api(server.port, "POST", `/alerts/${first.id}/ack`, { token: TOKEN, body: { by: "operator1", comment: "已通知交警 / police informed" } });
    expect(res).toMatchObject({ status: 200, body: { alert: { id: first.id, acknowledged: { by: "operator1", comment: "已通知交警 / police informed" }, resolved: null } } });
    const shown = await waitFor("the acknowledgement on the socket", () => latest().find((a) => a.id === first.id && a.acknowledged !== null));
    expect(shown.acknowledged).toMatchObject({ by: "operator1", comment: "已通知交警 / police informed" });
    expect(await row(first.id)).toMatchObject({ acknowledgedBy: "operator1", ackComment: "已通知交警 / police informed", resolvedTs: null });
    expect((await row(first.id))!.acknowledgedTs).toBeGreaterThanOrEqual(before - 1_000);
    // A second client connecting now gets it in its snapshot.
    const late = await connect(server.port);
    const reply = await hello(late);
    expect(reply.ok && reply.snapshot.alerts.find((a) => a.id === first.id)?.acknowledged?.by).toBe("operator1");
    late.close();
  });

  it("resolving by hand stores who, drops it from every client's list, and a second resolve or ack is a 409", async () => {
    const res = await api(server.port, "POST", `/alerts/${first.id}/resolve`, { token: TOKEN, body: { by: "operator1" } });
    expect(res).toMatchObject({ status: 200, body: { alert: { id: first.id, resolved: { by: "operator1" } } } });
    await waitFor("the resolved alert to leave the list", () => (announced.length > 0 && !latest().some((a) => a.id === first.id) ? true : undefined));
    expect(await row(first.id)).toMatchObject({ resolvedBy: "operator1" });
    expect(await api(server.port, "POST", `/alerts/${first.id}/resolve`, { token: TOKEN, body: { by: "operator1" } })).toMatchObject({ status: 409, body: { error: `id: alert ${first.id} is resolved already` } });
    expect((await api(server.port, "POST", `/alerts/${first.id}/ack`, { token: TOKEN, body: { by: "operator1" } })).status).toBe(409);
    const all = await api(server.port, "GET", "/alerts?state=all&limit=1000");
    expect((all.body.alerts as { id: string; resolved: unknown }[]).find((a) => a.id === first.id)?.resolved).toMatchObject({ by: "operator1" });
    // The breach goes on with no hold: the engine forgot the episode, so a new alert opens for the lot (never the old one again).
    const again = await waitFor("a new alert for the same lot", () => latest().find((a) => a.ruleId === "lot-any" && a.entityId === first.entityId), 20_000);
    expect(again.id).not.toBe(first.id);
    expect(await row(first.id)).toMatchObject({ resolvedBy: "operator1" });
  }, 30_000);


  it("a bulk change is validated (400 naming the field), refused whole for an unknown or resolved id, and applied in one transaction and one announcement", async () => {
    const picked = await waitFor("three open alerts of lot-any", () => {
      const open = latest().filter((a) => a.ruleId === "lot-any" && a.acknowledged === null);
      return open.length >= 3 ? open.slice(0, 3) : undefined;
    }, 20_000);
    const ids = picked.map((a) => a.id);
    const bulk = (body: unknown) => api(server.port, "POST", "/alerts/bulk", { token: TOKEN, body });
    expect((await api(server.port, "POST", "/alerts/bulk", { body: { action: "acknowledge", ids, by: "op" } })).status).toBe(401);
    expect(await bulk({ action: "acknowledge", ids: [], by: "op" })).toMatchObject({ status: 400, body: { error: "ids: must name at least one alert" } });
    expect(await bulk({ action: "acknowledge", ids: [ids[0], ids[0]], by: "op" })).toMatchObject({ status: 400, body: { error: "ids: must not name an alert twice" } });
    expect(await bulk({ action: "close", ids, by: "op" })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^action: /) } });
    expect(await bulk({ action: "resolve", ids, by: "op", comment: "x".repeat(501) })).toMatchObject({ status: 400, body: { error: "comment: must be at most 500 characters" } });
    expect((await api(server.port, "GET", "/alerts/bulk")).status).toBe(405);
    // One unknown id among real ones: nothing is changed, and the answer names it.
    expect(await bulk({ action: "acknowledge", ids: [...ids, "no-such-alert"], by: "op" })).toMatchObject({ status: 404, body: { error: "ids: no alert no-such-alert; nothing was changed" } });
    for (const id of ids) expect(await row(id)).toMatchObject({ acknowledgedTs: null, resolvedTs: null });

    const seen = announced.length;
    const acked = await bulk({ action: "acknowledge", ids, by: "operator2", comment: "一并处理 / handled together" });
    expect(acked.status).toBe(200);
    expect((acked.body.alerts as { id: string; acknowledged: { by: string; comment: string } | null; worst: number; triggerValue: number }[]).map((a) => [a.id, a.acknowledged?.by, a.acknowledged?.comment, a.worst >= a.triggerValue])).toEqual(
      ids.map((id) => [id, "operator2", "一并处理 / handled together", true]),
    );
    for (const id of ids) expect(await row(id)).toMatchObject({ acknowledgedBy: "operator2", ackComment: "一并处理 / handled together" });
    // The first announcement that shows any of them acknowledged shows all three: one change, one announcement.
    const first = await waitFor("the bulk acknowledgement on the socket", () => announced.slice(seen).find((list) => list.some((a) => ids.includes(a.id) && a.acknowledged)));
    expect(first.filter((a) => ids.includes(a.id)).map((a) => a.acknowledged?.by)).toEqual(["operator2", "operator2", "operator2"]);

    const resolved = await bulk({ action: "resolve", ids: ids.slice(0, 2), by: "operator2", comment: "现场已恢复 / cleared on site" });
    expect((resolved.body.alerts as { resolved: unknown }[]).map((a) => a.resolved)).toEqual([0, 1].map(() => ({ at: expect.any(Number), by: "operator2", comment: "现场已恢复 / cleared on site" })));
    // The acknowledgement's comment stays what it was: each step keeps its own.
    for (const id of ids.slice(0, 2)) expect(await row(id)).toMatchObject({ resolvedBy: "operator2", resolveComment: "现场已恢复 / cleared on site", ackComment: "一并处理 / handled together" });
    // One of them resolved already: the third is left as it was.
    expect(await bulk({ action: "resolve", ids, by: "operator2" })).toMatchObject({ status: 409, body: { error: `ids: resolved already: ${ids[0]}, ${ids[1]}; nothing was changed` } });
    expect(await row(ids[2]!)).toMatchObject({ resolvedTs: null, acknowledgedBy: "operator2" });
  }, 30_000);
}
