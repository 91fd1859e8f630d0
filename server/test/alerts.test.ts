/**
 * Alerts end to end in the real side server: a drill scenario raises the alert its
 * default rule is for, every client is told, the alert survives a restart without being
 * opened twice, and clears when the condition does, on each database. SIM_SPEED 60: a real
 * second is a simulated minute, so the rule's five minutes pass in five seconds.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "@/lib/config";
import { PROVIDERS, unavailable } from "@/lib/db/test-databases";
import { Event, ZAlertState, clockNow, type TAlert } from "@/lib/realtime/protocol";
import type { SideServer } from "../app";
import { api, bootSideServer, connect, hello, queryRows, sideServerDatabase, tempDir, waitFor, waitForAsync } from "./helpers";

// 14:00 Shenzhen time: far from the rush hours, when 深南大道 is congested with no accident and would never clear.
const FAST = { SIM_SPEED: "60", SIM_ENTITY_EVERY: "1", ADMIN_TOKEN: "alerts-test-admin-token", SIM_START: "2026-11-25T14:00:00+08:00" };
const auth = FAST.ADMIN_TOKEN;

for (const provider of PROVIDERS) describe.skipIf(unavailable(provider))(`alerts on ${provider}`, () => alertsContract(provider));

function alertsContract(provider: Provider): void {
  const temp = tempDir();
  const env: Record<string, string> = { ...FAST };
  let database: Awaited<ReturnType<typeof sideServerDatabase>> | undefined;
  let server: SideServer | undefined;
  beforeAll(async () => {
    database = await sideServerDatabase(provider, "alerts");
    Object.assign(env, database.env);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    temp.cleanup();
  });

  const gridlockOf = (alerts: readonly TAlert[]) => alerts.find((a) => a.ruleId === "road-gridlock" && a.entityId === "road-shennan");
  type Row = { id: string; resolvedTs: number | null; resolvedBy: string | null; triggerValue: number; peakValue: number };
  const rowsOf = (s: SideServer) =>
    queryRows<Row>(s.db, () => `SELECT "id", "resolvedTs", "resolvedBy", "triggerValue", "peakValue" FROM "Alert" WHERE "ruleId" = 'road-gridlock' AND "entityId" = 'road-shennan'`);

  it("an accident on 深南大道 opens one critical gridlock alert, announced to every client and stored with its value", async () => {
    server = await bootSideServer(join(temp.dir, "a"), env);
    const client = await connect(server.port);
    const reply = await hello(client);
    expect(reply.ok && reply.snapshot.alerts).toEqual([]);
    const announced: TAlert[][] = [];
    client.on(Event.alerts, (raw) => announced.push(ZAlertState.parse(raw).alerts));
    const drill = await api(server.port, "POST", "/drills", { token: auth, body: { scenario: "accident-shennan", minutes: 60 } });
    expect(drill.status).toBe(201);
    const alert = await waitFor("the gridlock alert on 深南大道", () => gridlockOf(announced.at(-1) ?? []), 40_000);
    expect(alert).toMatchObject({ severity: "critical", name: { zh: "道路严重拥堵", en: "Road gridlocked" }, metricId: "traffic.congestionIndex", acknowledged: null });
    expect(alert.triggerValue).toBeGreaterThanOrEqual(8);
    // Held for the rule's 300 simulated seconds before it opened.
    expect(alert.openedTs - alert.sinceTs).toBeGreaterThanOrEqual(300_000);
    expect(await rowsOf(server)).toEqual([expect.objectContaining({ id: alert.id, resolvedTs: null, triggerValue: alert.triggerValue })]);
    client.close();
  }, 60_000);

  it("the accident fills Futian's car parks too: that alert joins the gridlock's incident, on the wire and on disk", async () => {
    const client = await connect(server!.port);
    const announced: TAlert[][] = [];
    client.on(Event.alerts, (raw) => announced.push(ZAlertState.parse(raw).alerts));
    await hello(client);
    const lotsFull = await waitFor("most of Futian's car parks full", () => announced.at(-1)?.find((a) => a.ruleId === "district-lots-full" && a.entityId === "futian"), 40_000);
    const gridlock = gridlockOf(announced.at(-1) ?? []);
    expect(gridlock?.incidentId).toBe(`incident-${gridlock?.id}`);
    expect(lotsFull.incidentId).toBe(gridlock?.incidentId);
    const stored = await queryRows<{ incidentId: string }>(server!.db, () => `SELECT "incidentId" FROM "Alert" WHERE "ruleId" = 'district-lots-full'`);
    expect(stored).toEqual([{ incidentId: gridlock?.incidentId }]);
    client.close();
  }, 60_000);

  it("an operator splits, merges and closes the incident: each change one announcement, refused whole when wrong", async () => {
    const client = await connect(server!.port);
    const announced: TAlert[][] = [];
    client.on(Event.alerts, (raw) => announced.push(ZAlertState.parse(raw).alerts));
    await hello(client);
    type Listed = { id: string; placeId: string; domains: string[]; alertIds: string[]; open: number; closed: { by: string; comment: string | null } | null };
    const incidents = async () => (await api(server!.port, "GET", "/incidents")).body.incidents as Listed[];
    const [incident] = await incidents();
    expect(incident).toMatchObject({ placeId: "futian", domains: ["traffic", "parking"], closed: null });
    const alerts = (await api(server!.port, "GET", "/alerts")).body.alerts as TAlert[];
    const lotsFull = alerts.find((a) => a.ruleId === "district-lots-full")!;
    const id = incident!.id;
    const post = (path: string, body: unknown, token: string | undefined = auth) => api(server!.port, "POST", path, { token, body });

    // Refused whole, naming the field.
    expect((await post("/incidents/merge", { by: "op-a", incidentIds: [id] })).body.error).toMatch(/^incidentIds: must name at least two incidents/);
    expect((await post("/incidents/merge", { by: "op-a", incidentIds: [id, "incident-nope"] })).body).toEqual({ error: "incidentIds: no incident incident-nope" });
    expect((await post(`/incidents/${id}/split`, { by: "op-a", alertIds: incident!.alertIds })).status).toBe(409);
    expect((await post(`/incidents/${id}/split`, { by: "op-a", alertIds: ["someone-else"] })).status).toBe(404);
    expect((await post(`/incidents/${id}/close`, { by: "op a!" })).body.error).toMatch(/^by: /);
    expect((await post(`/incidents/${id}/close`, { by: "op-a" }, "wrong-token")).status).toBe(401);
    expect((await incidents()).map((i) => i.alertIds)).toEqual([incident!.alertIds]);

    // Split: the car parks are another story; neither part spans two domains, so no incident is left.
    const announcements = announced.length;
    const split = await post(`/incidents/${id}/split`, { by: "op-a", alertIds: [lotsFull.id] });
    expect(split.body).toEqual({ incidentId: `incident-${lotsFull.id}` });
    expect(await incidents()).toEqual([]);
    await waitFor("the split announced", () => announced.at(-1)?.find((a) => a.id === lotsFull.id && a.incidentId === `incident-${lotsFull.id}`), 5_000);
    expect(announced.length).toBe(announcements + 1);

    // Merge: back into the incident that began first.
    expect((await post("/incidents/merge", { by: "op-a", incidentIds: [`incident-${lotsFull.id}`, id] })).body).toEqual({ incidentId: id });
    expect((await incidents()).map((i) => i.alertIds)).toEqual([incident!.alertIds]);

    // Close: listed as closed by whom and why; the wall gets the alerts one by one again; nothing more to change.
    expect((await post(`/incidents/${id}/close`, { by: "op-a", comment: "事故已处置" })).status).toBe(200);
    expect((await incidents())[0]).toMatchObject({ id, closed: { by: "op-a", comment: "事故已处置" } });
    await waitFor("the closed incident's alerts alone on the wall", () => (announced.at(-1)?.some((a) => a.id === lotsFull.id && a.incidentId === undefined) ? true : undefined), 5_000);
    expect((await post(`/incidents/${id}/close`, { by: "op-a" })).body).toEqual({ error: `incidentId: incident ${id} is closed` });
    expect((await post(`/incidents/${id}/split`, { by: "op-a", alertIds: [lotsFull.id] })).status).toBe(409);
    client.close();
  }, 60_000);

  it("a restart keeps the open alert: the same one is listed and no second one opens while the breach goes on", async () => {
    const [before] = await rowsOf(server!);
    // The simulated clock goes on from where it was, as a restarted city's clock would.
    env.SIM_START = new Date(clockNow(server!.clock, Date.now())).toISOString();
    await server?.close();
    server = await bootSideServer(join(temp.dir, "a"), env);
    const listed = await api(server.port, "GET", "/alerts");
    expect(gridlockOf(listed.body.alerts as TAlert[])?.id).toBe(before?.id);
    await new Promise((r) => setTimeout(r, 8_000));
    expect((await rowsOf(server)).map((r) => r.id)).toEqual([before?.id]);
  }, 30_000);

  it("resolves the alert by itself once the road has been clear for the rule's five minutes", async () => {
    const { body } = await api(server!.port, "GET", "/drills");
    for (const d of body.drills as { id: string }[]) expect((await api(server!.port, "DELETE", `/drills/${d.id}`, { token: auth })).status).toBe(200);
    const resolved = await waitForAsync("the alert to resolve", async () => (await rowsOf(server!)).find((r) => r.resolvedTs !== null), 40_000);
    expect(resolved).toMatchObject({ resolvedBy: "auto" });
    expect(resolved.peakValue).toBeGreaterThanOrEqual(resolved.triggerValue);
    const listed = await api(server!.port, "GET", "/alerts?state=all&limit=100");
    expect(gridlockOf(listed.body.alerts as TAlert[])).toBeDefined();
    // The unresolved list is re-read right after the stored resolve, in the same write step: a moment later, not at once.
    await waitForAsync("the alert off the unresolved list", async () => (gridlockOf((await api(server!.port, "GET", "/alerts")).body.alerts as TAlert[]) ? undefined : true), 5_000);
  }, 60_000);

  it("rules are validated and need the admin token to change", async () => {
    const port = server!.port;
    const rule = { name: { zh: "福田停车场将满", en: "Futian car park nearly full" }, metricId: "parking.occupancy", scope: "futian", kind: "lot", direction: "above", threshold: 97, clearAt: 93, forSeconds: 60, severity: "warning" };
    expect((await api(port, "PUT", "/alerts/rules/futian-lots", { body: rule })).status).toBe(401);
    expect(await api(port, "PUT", "/alerts/rules/futian-lots", { token: auth, body: { ...rule, clearAt: 99 } })).toMatchObject({ status: 400, body: { error: "clearAt: must be below the threshold (97), or the alert would flap" } });
    expect(await api(port, "PUT", "/alerts/rules/futian-lots", { token: auth, body: { ...rule, kind: "road" } })).toMatchObject({ status: 400, body: { error: "kind: parking.occupancy is not measured on a road" } });
    expect((await api(port, "PUT", "/alerts/rules/futian-lots", { token: auth, body: rule })).status).toBe(200);
    const { body } = await api(port, "GET", "/alerts/rules");
    expect((body.rules as { id: string }[]).map((r) => r.id)).toEqual(["city-outages-surge", "district-hospitals-offline", "district-lots-full", "district-outages-many", "district-speed-halved", "futian-lots", "hospital-offline", "hospital-wait-long", "road-gridlock"]);
    expect((await api(port, "DELETE", "/alerts/rules/futian-lots", { token: auth })).status).toBe(200);
    expect((await api(port, "DELETE", "/alerts/rules/futian-lots", { token: auth })).status).toBe(404);
    expect(await api(port, "GET", "/alerts?limit=0")).toMatchObject({ status: 400, body: { error: "limit: must be a whole number from 1 to 1000" } });
  });

  it("a fibre cut in 南山 opens one critical on the district, counting the hospitals cut off, announced and stored", async () => {
    const client = await connect(server!.port);
    await hello(client);
    const announced: TAlert[][] = [];
    client.on(Event.alerts, (raw) => announced.push(ZAlertState.parse(raw).alerts));
    const drill = await api(server!.port, "POST", "/drills", { token: auth, body: { scenario: "fiber-cut-nanshan", minutes: 30 } });
    expect(drill.status).toBe(201);
    const counting = (alerts: readonly TAlert[]) => alerts.filter((a) => a.ruleId === "district-hospitals-offline");
    const alert = await waitFor("the district's alert", () => counting(announced.at(-1) ?? [])[0], 40_000);
    expect(alert).toMatchObject({ entityId: "nanshan", severity: "critical", metricId: "health.connected", counted: "hospital" });
    expect(alert.triggerValue).toBeGreaterThanOrEqual(3);
    // One alert for the district, not one per hospital.
    expect(counting(announced.at(-1) ?? [])).toHaveLength(1);
    expect(await queryRows(server!.db, () => `SELECT "entityId", "counted" FROM "Alert" WHERE "ruleId" = 'district-hospitals-offline'`)).toEqual([{ entityId: "nanshan", counted: "hospital" }]);
    expect((await api(server!.port, "DELETE", `/drills/${(drill.body.drill as { id: string }).id}`, { token: auth })).status).toBe(200);
    client.close();
  }, 60_000);
}
