/**
 * Which side server of a cluster runs the singletons (simulator, MQTT source, rollups,
 * retention, alert engine): the one holding a PostgreSQL advisory lock on a connection of
 * its own. The lock lives as long as that session, so a killed instance frees it the moment
 * its socket closes, and a leader that loses its connection (PostgreSQL restarted, network)
 * steps down at once: two leaders can never hold it together.
 */
import pg from "pg";
import { type Log } from "@/lib/log";

/** The lock's key: "OneScreen" in a bigint, so no other application's lock collides by chance. */
const LOCK_KEY = "5571432094876722286";

export interface LeadershipEvents {
  /** This instance now holds the lock: start the singletons. */
  gained(): void;
  /** It no longer does (or cannot know that it does): stop them at once. */
  lost(reason: string): void;
  log: Log;
}

export interface Leadership {
  isLeader(): boolean;
  /** Steps down (the lock is released with the session) and stops trying. */
  close(): Promise<void>;
}

/** One instance alone (SQLite, no cluster): always the leader. */
export function soleLeadership(events: Pick<LeadershipEvents, "gained">): Leadership {
  events.gained();
  return { isLeader: () => true, close: async () => undefined };
}

/**
 * Tries for the lock every `intervalMs`; once held, checks the session every `intervalMs`
 * and steps down on the first failure. A follower therefore takes over within about one
 * interval of the leader's session ending.
 */
export function advisoryLeadership(url: string, events: LeadershipEvents, intervalMs = 1_000): Leadership {
  let client: pg.Client | null = null;
  let leader = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const stepDown = (reason: string) => {
    const old = client;
    client = null;
    old?.end().catch(() => undefined);
    if (leader) {
      leader = false;
      events.lost(reason);
    }
  };

  async function tick(): Promise<void> {
    try {
      if (!client) {
        const fresh = new pg.Client({ connectionString: url, connectionTimeoutMillis: intervalMs * 2, keepAlive: true });
        // A dropped session ends the lock on the server's side: this side must know it too.
        fresh.on("error", (error) => {
          if (client === fresh) stepDown(`leader lock connection failed: ${error.message}`);
        });
        fresh.on("end", () => {
          if (client === fresh) stepDown("leader lock connection closed");
        });
        client = fresh;
        await fresh.connect();
      }
      if (leader) await client.query("SELECT 1");
      else if ((await client.query<{ held: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS held", [LOCK_KEY])).rows[0]?.held) {
        leader = true;
        events.gained();
      }
    } catch (error) {
      stepDown(`leader lock: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!closed) timer = setTimeout(() => void tick(), intervalMs);
  }
  void tick();

  return {
    isLeader: () => leader,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const old = client;
      client = null;
      leader = false;
      await old?.end().catch(() => undefined);
    },
  };
}
