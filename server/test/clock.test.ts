/**
 * When the clock goes backwards, the wall stays honest and moving: a restart at ×1 on a
 * database a ×60 run filled ahead of the present, and the system clock set back ten minutes
 * under a running side server. A real server, real database file, real socket.io client.
 */
import { describe, expect, it } from "vitest";
import { CITY_ID } from "@/lib/catalog";
import { ZHelloReply, type TFrame } from "@/lib/realtime/protocol";
import { api, bootSideServer, collectFrames, connect, hello, readDb, sleep, tempDir } from "./helpers";

const CONGESTION = "traffic.congestionIndex";
const cityTicks = (frames: TFrame[]) => frames.flatMap((f) => f.samples).filter((s) => s.metricId === CONGESTION && s.entityId === CITY_ID).map((s) => s.ts);

describe("the clock going backwards", () => {
  const temp = tempDir();

  it("K1 a restart at ×1 on data a ×60 run stored ahead: the snapshot is the present, frames move on second by second, health says how far stored data runs ahead", async () => {
    const fast = await bootSideServer(temp.dir, { SIM_SPEED: "60" });
    await sleep(8_000); // eight simulated minutes past the present
    await fast.close();
    const storedNewest = readDb(fast.databaseFile, (db) => (db.prepare(`SELECT MAX("ts") AS t FROM "MetricSample"`).get() as { t: number }).t);
    expect(storedNewest - Date.now()).toBeGreaterThan(5 * 60_000);

    const server = await bootSideServer(temp.dir, { SIM_SPEED: "1" });
    await sleep(2_500); // a few ticks of the present
    const client = await connect(server.port);
    try {
      const reply = ZHelloReply.parse(await hello(client, ["traffic"]));
      if (!reply.ok) throw new Error(reply.message);
      const { snapshot } = reply;
      // Nothing of the fast run's future in the live window: at most two ticks past the server's time.
      const points = [...snapshot.history.flatMap((h) => h.points.map(([ts]) => ts)), ...snapshot.latest.map((s) => s.ts)];
      expect(points.length).toBeGreaterThan(0);
      expect(Math.max(...points)).toBeLessThanOrEqual(snapshot.serverTime + 2_000);
      // The stream goes on from the present, one tick a second, each newer than the last.
      const ticks = cityTicks(await collectFrames(client, 3_500));
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.slice(1).map((ts, i) => ts - ticks[i]!)).toEqual(ticks.slice(1).map(() => 1_000));
      expect(Math.abs(ticks.at(-1)! - Date.now())).toBeLessThan(3_000);
      const health = (await api(server.port, "GET", "/healthz")).body as { clock: { storedAheadUntil: string | null } };
      expect(health.clock.storedAheadUntil).toBe(new Date(storedNewest).toISOString());
    } finally {
      client.close();
      await server.close();
    }
  });

  it("K2 the system clock set back ten minutes under a running server: the simulated stream neither stalls nor goes back, and health says the clock was set back", async () => {
    let stepBack = 0;
    const server = await bootSideServer(`${temp.dir}/k2`, { SIM_SPEED: "1" }, () => Date.now() - stepBack);
    const client = await connect(server.port);
    try {
      expect((await hello(client, ["traffic"])).ok).toBe(true);
      await collectFrames(client, 1_500);
      stepBack = 10 * 60_000;
      const ticks = cityTicks(await collectFrames(client, 4_000));
      // Without a steady clock the simulator would wait ten minutes for its next tick.
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.slice(1).map((ts, i) => ts - ticks[i]!)).toEqual(ticks.slice(1).map(() => 1_000));
      const health = await api(server.port, "GET", "/healthz");
      expect(health.status).toBe(503);
      expect(JSON.stringify(health.body.problems)).toMatch(/the system clock was set back by 600 s since start: the source clock keeps its pace/);
    } finally {
      client.close();
      await server.close();
      temp.cleanup();
    }
  });
});
