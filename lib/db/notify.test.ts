/** Channels and the notification outbox against a real migrated database of each provider. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Channel } from "../notify/channels";
import type { Database } from "./client";
import { channelById, deleteChannel, deliveriesOf, dueDeliveries, enqueueDeliveries, listChannels, pruneDeliveries, recordAttempt, saveChannel } from "./notify";
import { PROVIDERS, openTestDatabase, unavailable } from "./test-databases";

const CHANNEL: Channel = {
  id: "ch-0a1b2c3d",
  name: "值班群",
  type: "dingtalk",
  url: "https://oapi.dingtalk.com/robot/send?access_token=t",
  secret: "SECx",
  format: "markdown",
  lang: "zh",
  severities: ["warning", "critical"],
  domains: ["traffic", "health"],
  onOpen: true,
  onAcknowledge: false,
  onResolve: true,
  enabled: true,
  createdTs: 1_795_600_000_000,
  updatedAt: 1_795_600_001_234,
};

const row = (alertId: string, channelId = CHANNEL.id, event: "open" | "acknowledge" | "resolve" = "open") => ({ id: `${alertId}-${event}-${channelId}`, alertId, event, channelId, channelName: "值班群" });

for (const provider of PROVIDERS) describe.skipIf(unavailable(provider))(`notification storage on ${provider}`, () => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(provider, "notify"));
  });
  afterAll(async () => {
    await close?.();
  });

  it("a channel reads back as it was saved", async () => {
    await saveChannel(db, CHANNEL);
    expect(await channelById(db, CHANNEL.id)).toEqual(CHANNEL);
    await saveChannel(db, { ...CHANNEL, name: "夜班", secret: null });
    expect(await listChannels(db)).toEqual([{ ...CHANNEL, name: "夜班", secret: null }]);
  });

  it("an (alert, event, channel) is queued once, however often it is offered", async () => {
    expect(await enqueueDeliveries(db, [row("a1"), row("a1", CHANNEL.id, "resolve")], 1_000)).toBe(2);
    expect(await enqueueDeliveries(db, [{ ...row("a1"), id: "another-id" }], 2_000)).toBe(0);
    expect((await deliveriesOf(db, ["a1"])).map((d) => [d.event, d.status, d.attempts, d.createdAt])).toEqual([
      ["open", "pending", 0, 1_000],
      ["resolve", "pending", 0, 1_000],
    ]);
  });

  it("due rows come longest-waiting first; a recorded attempt moves a row's next try", async () => {
    await enqueueDeliveries(db, [row("a2")], 500);
    expect((await dueDeliveries(db, 10_000, 10)).map((d) => d.alertId)).toEqual(["a2", "a1", "a1"]);
    await recordAttempt(db, "a2-open-ch-0a1b2c3d", { status: "pending", attempts: 1, at: 10_000, nextAttemptAt: 15_000, statusCode: null, why: "connect ECONNREFUSED 127.0.0.1:9" });
    expect((await dueDeliveries(db, 10_000, 10)).map((d) => d.alertId)).toEqual(["a1", "a1"]);
    expect((await deliveriesOf(db, ["a2"]))[0]).toMatchObject({ attempts: 1, lastAttemptAt: 10_000, nextAttemptAt: 15_000, why: "connect ECONNREFUSED 127.0.0.1:9" });
  });

  it("pruning deletes finished rows past their age, then the oldest past the cap, never a pending one", async () => {
    await recordAttempt(db, "a1-open-ch-0a1b2c3d", { status: "sent", attempts: 1, at: 1_100, nextAttemptAt: 1_100, statusCode: 200, why: null });
    await enqueueDeliveries(db, [row("b1"), row("b2"), row("b3")], 50_000);
    for (const id of ["b1", "b2", "b3"]) await recordAttempt(db, `${id}-open-ch-0a1b2c3d`, { status: id === "b3" ? "failed" : "sent", attempts: 1, at: 50_000, nextAttemptAt: 50_000, statusCode: 200, why: null });
    // Older than 2,000: the sent a1 goes; a1's resolve and a2 are pending and stay.
    expect(await pruneDeliveries(db, 2_000, 1_000)).toBe(1);
    // Past a cap of 4 rows: the oldest finished (b1) goes.
    expect(await pruneDeliveries(db, 2_000, 4)).toBe(1);
    expect((await deliveriesOf(db, ["a1", "a2", "b1", "b2", "b3"])).map((d) => `${d.alertId}:${d.event}:${d.status}`).sort()).toEqual(["a1:resolve:pending", "a2:open:pending", "b2:open:sent", "b3:open:failed"]);
  });

  it("deleting a channel records what it had still to send as failed", async () => {
    expect(await deleteChannel(db, CHANNEL.id, 60_000)).toBe(true);
    expect(await deleteChannel(db, CHANNEL.id, 60_000)).toBe(false);
    expect((await deliveriesOf(db, ["a1", "a2"])).map((d) => [d.status, d.why])).toEqual([
      ["failed", "channel deleted before it was sent"],
      ["failed", "channel deleted before it was sent"],
    ]);
  });
});
