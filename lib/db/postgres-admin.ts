/**
 * Small PostgreSQL chores done with a plain `pg` client, outside Prisma: creating and dropping
 * scratch databases (the migration diff, tests) and reading `_prisma_migrations` without the
 * schema engine.
 */
import pg from "pg";

/** Runs `fn` with one connected client, always closing it; `connectTimeoutMs` bounds the wait for an absent server. */
export async function withPgClient<T>(url: string, fn: (client: pg.Client) => Promise<T>, connectTimeoutMs = 5_000): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  // An error event on an idle client (the server went away) must not crash the process; the next query fails instead.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(database)}`;
  return next.toString();
}

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const quoted = (name: string) => {
  if (!NAME.test(name)) throw new Error(`not a plain database name: ${JSON.stringify(name)}`);
  return `"${name}"`;
};

/** Creates `database` on the server of `serverUrl` (a maintenance database such as postgres); returns its URL. */
export async function createDatabase(serverUrl: string, database: string): Promise<string> {
  await withPgClient(serverUrl, (client) => client.query(`CREATE DATABASE ${quoted(database)}`));
  return withDatabase(serverUrl, database);
}

/** Drops `database`, closing whatever connections are still open to it (PostgreSQL 13+). */
export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await withPgClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoted(database)} WITH (FORCE)`));
}

/** A database name nobody else uses: `prefix` + process id + random letters. */
export function scratchDatabaseName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}

/** Names of the migrations recorded as applied; empty when the database has no `_prisma_migrations` yet. */
export async function finishedPostgresMigrations(url: string): Promise<Set<string>> {
  return withPgClient(url, async (client) => {
    const table = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
    if (!table.rows[0]?.t) return new Set<string>();
    const rows = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    return new Set(rows.rows.map((r) => r.migration_name));
  });
}

/** PostgreSQL's one-byte `"char"` (pg_class.relkind, pg_constraint.contype, …) and `text`. */
const CHAR_OID = 18;
const TEXT_OID = 25;

type Fixable = { fields?: { dataTypeID: number }[] };
const charAsText = (result: unknown): void => {
  for (const field of (result as Fixable | undefined)?.fields ?? []) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
};

/** Makes `client` report `"char"` result columns as text (see introspectionConfig). */
function reportCharAsText(client: pg.Client): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const callback = last as (error: unknown, result: unknown) => void;
      return query(...args.slice(0, -1), (error: unknown, result: unknown) => {
        charAsText(result);
        callback(error, result);
      });
    }
    const result = query(...args);
    return result instanceof Promise ? result.then((r: unknown) => (charAsText(r), r)) : result;
  };
}

class CharAsTextClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    reportCharAsText(this);
  }
}

/**
 * Pool settings for the schema engine only. Its introspection reads catalog columns of type
 * `"char"` (pg_class.relkind, pg_constraint.contype, …), which @prisma/adapter-pg 7.10 does
 * not map: it throws "Column type 'char' could not be deserialized", so diffing a PostgreSQL
 * database fails. The values are one-letter strings already (pg's default parser), so the
 * clients just report those columns as text. A config, not a pool: the adapter makes (and
 * ends) a pool per connection, the shadow database's included.
 */
export function introspectionConfig(url: string): pg.PoolConfig {
  return { connectionString: url, Client: CharAsTextClient };
}
