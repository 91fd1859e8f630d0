/**
 * Alerts as the HTTP routes see them, on any side server of a cluster. Only the leader runs
 * the alert engine (server/alerts.ts), so only it may change an alert or a rule: another
 * instance sends the operation to it through the cluster and answers with its reply. On a
 * single server (or the leader itself) every operation is local.
 */
import { z } from "zod";
import { ZAlertRule, type AlertRule } from "@/lib/alerts/rules";
import type { PeerAnswer, TAlert } from "@/lib/realtime/protocol";
import type { BulkAction } from "@/lib/db/alerts";
import type { IncidentChange } from "@/lib/db/incidents";
import { type Log } from "@/lib/log";
import type { Alerts, BulkResult, ChangeResult, IncidentChangeResult, ListedAlert, ListedIncident } from "./alerts";
import { askOthers, type RedisConnection } from "./cluster";
import { HttpError } from "./http-json";
import type { RealtimeServer } from "./realtime";

/** An operator's change to incidents, as the routes validate it and the cluster relays it. */
export const ZIncidentChange = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("merge"), incidentIds: z.array(z.string().min(1).max(200)).min(2, "must name at least two incidents").max(50, "must name at most 50 incidents") }),
  z.strictObject({ kind: z.literal("split"), incidentId: z.string().min(1).max(200), alertIds: z.array(z.string().min(1).max(200)).min(1, "must name at least one alert").max(500, "must name at most 500 alerts") }),
  z.strictObject({ kind: z.literal("close"), incidentId: z.string().min(1).max(200), comment: z.string().trim().max(500, "must be at most 500 characters").nullable() }),
]);

const ZAlertOp = z.discriminatedUnion("op", [
  z.object({ op: z.literal("recent"), limit: z.int().positive() }),
  z.object({ op: z.literal("rules") }),
  z.object({ op: z.literal("acknowledge"), id: z.string(), by: z.string(), comment: z.string().nullable() }),
  z.object({ op: z.literal("resolve"), id: z.string(), by: z.string() }),
  z.object({ op: z.literal("bulk"), ids: z.array(z.string()), action: z.enum(["acknowledge", "resolve"]), by: z.string(), comment: z.string().nullable() }),
  z.object({ op: z.literal("incidents"), limit: z.int().positive() }),
  z.object({ op: z.literal("changeIncident"), change: ZIncidentChange, by: z.string() }),
  z.object({ op: z.literal("putRule"), rule: ZAlertRule }),
  z.object({ op: z.literal("deleteRule"), id: z.string() }),
]);
type AlertOp = z.infer<typeof ZAlertOp>;

export interface AlertsApi {
  current(): TAlert[];
  rules(): Promise<AlertRule[]>;
  recent(limit: number): Promise<ListedAlert[]>;
  acknowledge(id: string, by: string, comment: string | null): Promise<ChangeResult>;
  resolve(id: string, by: string): Promise<ChangeResult>;
  bulk(ids: string[], action: BulkAction, by: string, comment: string | null): Promise<BulkResult>;
  incidents(limit: number): Promise<ListedIncident[]>;
  changeIncident(change: IncidentChange, by: string): Promise<IncidentChangeResult>;
  putRule(rule: AlertRule): Promise<void>;
  deleteRule(id: string): Promise<boolean>;
}


function run(alerts: Alerts, op: AlertOp): Promise<unknown> {
  switch (op.op) {
    case "recent":
      return alerts.recent(op.limit);
    case "rules":
      return Promise.resolve(alerts.rules());
    case "acknowledge":
      return alerts.acknowledge(op.id, op.by, op.comment);
    case "resolve":
      return alerts.resolve(op.id, op.by);
    case "bulk":
      return alerts.bulk(op.ids, op.action, op.by, op.comment);
    case "incidents":
      return alerts.incidents(op.limit);
    case "changeIncident":
      return alerts.changeIncident(op.change, op.by);
    case "putRule":
      return alerts.putRule(op.rule);
    case "deleteRule":
      return alerts.deleteRule(op.id);
  }
}

/**
 * `engine()` is this instance's alert engine while it leads, else null; `followed()` the
 * unresolved alerts the leader last announced; `redis` null on a single server.
 */
export function relayAlerts(io: RealtimeServer, redis: RedisConnection | null, engine: () => Alerts | null, followed: () => TAlert[], log: Log): AlertsApi {
  io.on("peer:alert-op", (op, reply) => {
    const local = engine();
    const parsed = ZAlertOp.safeParse(op);
    if (!local) return reply(null);
    if (!parsed.success) return reply({ error: "malformed alert operation", status: 400 });
    run(local, parsed.data).then(
      (result) => reply({ result: result ?? null }),
      (error: unknown) => {
        // Our own refusals travel as they are; anything else stays in this instance's log, as a local failure would.
        if (error instanceof HttpError) return reply({ error: error.message, status: error.status });
        log.error({ op: parsed.data.op, err: error }, "alert change for another instance failed");
        reply({ error: "internal error", status: 500 });
      },
    );
  });

  async function perform(op: AlertOp): Promise<unknown> {
    const local = engine();
    if (local) return run(local, op);
    const { answers } = redis ? await askOthers<PeerAnswer>(redis, (ack) => io.serverSideEmit("peer:alert-op", op, ack)) : { answers: [] };
    const answer = answers.find((a) => a !== null);
    if (!answer) throw new HttpError(503, "alerts: no leader side server answered (a new one is being chosen, or Redis is away); try again in a few seconds");
    if ("error" in answer) throw new HttpError(answer.status, answer.error);
    return answer.result;
  }

  return {
    current: () => engine()?.current() ?? followed(),
    rules: async () => (await perform({ op: "rules" })) as AlertRule[],
    recent: async (limit) => (await perform({ op: "recent", limit })) as ListedAlert[],
    acknowledge: async (id, by, comment) => (await perform({ op: "acknowledge", id, by, comment })) as ChangeResult,
    resolve: async (id, by) => (await perform({ op: "resolve", id, by })) as ChangeResult,
    bulk: async (ids, action, by, comment) => (await perform({ op: "bulk", ids, action, by, comment })) as BulkResult,
    incidents: async (limit) => (await perform({ op: "incidents", limit })) as ListedIncident[],
    changeIncident: async (change, by) => (await perform({ op: "changeIncident", change, by })) as IncidentChangeResult,
    putRule: async (rule) => void (await perform({ op: "putRule", rule })),
    deleteRule: async (id) => (await perform({ op: "deleteRule", id })) as boolean,
  };
}
