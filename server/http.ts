/**
 * The side server's plain HTTP routes: health, the walls watching, the snapshot for
 * server rendering, and drill control. Reading is open; every write needs the admin bearer token.
 */
import { z } from "zod";
import { DOMAINS } from "@/lib/catalog";
import { issuesMessage } from "@/lib/issues";
import { ZSubscription, type TSnapshot, type TSubscription } from "@/lib/realtime/protocol";
import type { WallRow } from "@/lib/realtime/walls";
import { SCENARIOS, SCENARIO_IDS } from "@/lib/sim/scenarios";
import { toWire, type Drills } from "./drills";
import type { IdempotencyStats } from "./ingest";
import { HttpError, authorizeAdmin, readJson, sendJson, type Route } from "./http-json";

/** Something that makes the side server degraded: what, and since when (ISO time; null when unknown). */
export interface HealthProblem {
  what: string;
  since: string | null;
}

export interface Health {
  /** "degraded" while any problem is listed; /healthz then answers 503. */
  status: "ok" | "degraded";
  problems: HealthProblem[];
  protocolVersion: number;
  uptimeSeconds: number;
  connectedClients: number;
  samplesPersisted: number;
  persistFailures: number;
  /** Samples waiting to be written, the bound past which new ones are refused (PERSIST_QUEUE_MAX_SAMPLES), and how many were refused since start. */
  persistQueue: { samples: number; max: number; refused: number; oldestWaitingSeconds: number | null };
  /** Samples not written since start because their metric, entity and instant were stored already. */
  duplicates: number;
  lastPersistAt: string | null;
  database: { reachable: boolean; error?: string };
  /** storedAheadUntil: the newest stored sample while it is ahead of the source clock (an earlier, faster run; a clock set back). */
  clock: { speed: number; simulatedTime: string; storedAheadUntil: string | null };
  drills: number;
  /** Event-loop blocking over the last minute: how late a frame could have been. */
  eventLoopDelayMs: { p99: number; max: number };
  /** The MQTT source since this process started; null when MQTT_URL is unset. */
  mqtt: { connected: boolean; received: number; accepted: number; rejected: number; malformed: number } | null;
  /** Simulated history filled into an empty database at start (SIM_BACKFILL_HOURS); null when none is. */
  backfill: { filled: number; total: number; windowFilled: boolean } | null;
  /** single: the only side server; leader or follower in a cluster (server/leader.ts). */
  role: "single" | "leader" | "follower";
  /** Pages reporting heartbeats (GET /walls lists them); attention = every status but "ok"; refused = pages not listed since start (WALLS_PER_ADDRESS, or the registry full of live walls). */
  walls: { total: number; ok: number; attention: number; refused: number };
  /** Answers kept for ingest retries (bounded by INGEST_IDEMPOTENCY_MAX_BYTES) and keyed requests still being answered. */
  idempotency: IdempotencyStats;
}

export interface HttpRoutesDeps {
  health(): Promise<Health>;
  snapshot(subscription: TSubscription): TSnapshot;
  drills: Drills;
  /** Every wall of the deployment; `complete` false when a side server of a cluster did not answer. */
  walls(): Promise<{ walls: WallRow[]; complete: boolean }>;
  now(): number;
  adminToken: string;
}

const MAX_BODY_BYTES = 4 * 1024;

export const ZStartDrill = z.object({
  scenario: z.enum(SCENARIO_IDS, { message: `must be one of ${SCENARIO_IDS.join(", ")}` }),
  /** Simulated minutes; the scenario's default when absent. */
  minutes: z.number({ message: "must be a number" }).positive("must be positive").max(7 * 24 * 60, "must be at most a week").optional(),
});

/** `?domains=traffic,parking&level=entities&scope=futian`; every part optional (the wall's subscription). */
function parseSubscription(params: URLSearchParams): TSubscription {
  const domains = params.get("domains");
  const parsed = ZSubscription.safeParse({
    domains: domains ? domains.split(",") : [...DOMAINS],
    level: params.get("level") ?? undefined,
    scope: params.get("scope") ?? undefined,
  });
  if (!parsed.success) throw new HttpError(400, issuesMessage(parsed.error));
  return parsed.data;
}

function scenarioList() {
  return SCENARIO_IDS.map((id) => ({ id, name: SCENARIOS[id].name, description: SCENARIOS[id].description, defaultMinutes: SCENARIOS[id].defaultMinutes }));
}

export function createHttpRoutes(deps: HttpRoutesDeps) {
  const route: Route = async (req, res, url) => {
    const method = req.method ?? "GET";
    if (url.pathname === "/healthz") {
      const health = await deps.health();
      sendJson(res, health.status === "ok" ? 200 : 503, health);
      return true;
    }
    if (url.pathname === "/snapshot") {
      if (method !== "GET") throw new HttpError(405, "method: use GET");
      sendJson(res, 200, deps.snapshot(parseSubscription(url.searchParams)));
      return true;
    }
    if (url.pathname === "/walls") {
      if (method !== "GET") throw new HttpError(405, "method: use GET");
      sendJson(res, 200, await deps.walls());
      return true;
    }
    if (url.pathname === "/drills") {
      if (method === "GET") {
        sendJson(res, 200, { scenarios: scenarioList(), drills: deps.drills.list().map(toWire) });
        return true;
      }
      if (method !== "POST") throw new HttpError(405, "method: use GET or POST");
      authorizeAdmin(req, deps.adminToken);
      const parsed = ZStartDrill.safeParse(await readJson(req, MAX_BODY_BYTES));
      if (!parsed.success) throw new HttpError(400, issuesMessage(parsed.error, "body"));
      const scenario = SCENARIOS[parsed.data.scenario];
      const drill = await deps.drills.start(scenario.id, parsed.data.minutes ?? scenario.defaultMinutes, "admin-token");
      sendJson(res, 201, { drill: toWire(drill) });
      return true;
    }
    const stop = /^\/drills\/([\w-]+)$/.exec(url.pathname);
    if (stop?.[1]) {
      if (method !== "DELETE") throw new HttpError(405, "method: use DELETE");
      authorizeAdmin(req, deps.adminToken);
      if (!(await deps.drills.stop(stop[1]))) throw new HttpError(404, `id: no running drill ${stop[1]}`);
      sendJson(res, 200, { stopped: stop[1] });
      return true;
    }
    return false;
  };

  return route;
}
