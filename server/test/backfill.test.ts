/**
 * Cold start on an empty database with the simulator on: a day of simulated history is
 * filled in (SIM_BACKFILL_HOURS), the live window before /healthz says ready, the rest in
 * the background, stored as simulated (source "sim"), never broadcast nor alerted on.
 */
import { describe, expect, it } from "vitest";
import { CITY_ID } from "@/lib/catalog";
import { ZHelloReply, type TFrame } from "@/lib/realtime/protocol";
import { api, bootSideServer, collectFrames, connect, hello, readDb, tempDir, waitForAsync } from "./helpers";

describe("simulated history on an empty database", () => {
  it("B1 fills the live window before health is ok and the day behind it soon after, as history", async () => {
    const temp = tempDir();
    const began = Date.now();
    const server = await bootSideServer(temp.dir, { SIM_BACKFILL_HOURS: "24" });
    const client = await connect(server.port);
    try {
      // Not ready until the window is whole: npm start opens the wall only then.
      const ready = await waitForAsync("health ok", async () => ((await api(server.port, "GET", "/healthz")).status === 200 ? Date.now() : undefined), 30_000);
      // How long it takes is bench `coldstart`'s to say; here, what the first wall gets once health is ok.
      console.log(`backfill: health ok ${ready - began} ms after start`);
      const reply = ZHelloReply.parse(await hello(client, ["traffic"]));
      if (!reply.ok) throw new Error(reply.message);
      const city = reply.snapshot.history.find((h) => h.metricId === "traffic.congestionIndex" && h.entityId === CITY_ID)!;
      // The wall's 15-minute charts are whole at once: a point a second for the last 2 minutes, every 5 s before.
      const ts = city.points.map(([t]) => t);
      expect(ts[0]).toBeLessThanOrEqual(reply.snapshot.serverTime - 890_000);
      expect(Math.max(...ts.slice(1).map((t, i) => t - ts[i]!))).toBeLessThanOrEqual(5_000);
      expect(ts.filter((t) => t >= reply.snapshot.serverTime - 120_000).length).toBeGreaterThanOrEqual(115);
      const frames: TFrame[] = await collectFrames(client, 2_000);
      const framed = frames.flatMap((f) => f.samples.map((s) => s.ts));
      // History is never framed: every frame is the present.
      expect(Math.min(...framed)).toBeGreaterThan(Date.now() - 5_000);

      const stored = await waitForAsync(
        "the whole day",
        async () => {
          const row = readDb(server.databaseFile, (db) =>
            db.prepare(`SELECT MIN("ts") AS oldest, COUNT(*) AS n, COUNT(DISTINCT "source") AS sources, MAX("source") AS source FROM "MetricSample" WHERE "metricId" = 'traffic.congestionIndex' AND "entityId" = ?`).get(CITY_ID),
          ) as { oldest: number; n: number; sources: number; source: string };
          return row.oldest <= began - 23.9 * 3_600_000 ? row : undefined;
        },
        60_000,
      );
      expect(stored).toMatchObject({ sources: 1, source: "sim" });
      console.log(`backfill: the whole day stored ${Date.now() - began} ms after start`);
      await waitForAsync("the counter to reach the total", async () => {
        const h = (await api(server.port, "GET", "/healthz")).body as { backfill: { filled: number; total: number } };
        return h.backfill.filled === h.backfill.total ? true : undefined;
      });
      // No alert was opened from the past: alerts are of live samples only.
      const alerts = readDb(server.databaseFile, (db) => db.prepare(`SELECT MIN("openedTs") AS t FROM "Alert"`).get()) as { t: number | null };
      if (alerts.t !== null) expect(alerts.t).toBeGreaterThanOrEqual(began - 5_000);
    } finally {
      client.close();
      await server.close();
      temp.cleanup();
    }
  }, 120_000);

  it("B2 a database with history, or SIM_BACKFILL_HOURS=0, gets none", async () => {
    const temp = tempDir();
    try {
      const off = await bootSideServer(temp.dir, { SIM_BACKFILL_HOURS: "0" });
      await waitForAsync("a tick", async () => ((await api(off.port, "GET", "/healthz")).body.samplesPersisted as number) > 0 || undefined);
      await off.close();
      const again = await bootSideServer(temp.dir, { SIM_BACKFILL_HOURS: "24" });
      expect((await api(again.port, "GET", "/healthz")).body.backfill).toBeNull();
      await again.close();
      const oldest = readDb(off.databaseFile, (db) => (db.prepare(`SELECT MIN("ts") AS t FROM "MetricSample"`).get() as { t: number }).t);
      expect(oldest).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      temp.cleanup();
    }
  });
});
