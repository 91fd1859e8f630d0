/**
 * prisma/schema.prisma is the one source of the models. Prisma 7's generated client is
 * provider-specific (it embeds the provider and loads that provider's query compiler, and
 * refuses an adapter of another), so PostgreSQL needs a schema of its own to generate its
 * client and diff its migrations from. This derives it: the same text with the datasource
 * provider and the client's output folder changed, nothing else. Pure (no I/O), so a unit
 * test can check the committed copy is not stale.
 */

export const POSTGRES_SCHEMA_FILE = "prisma/postgres/schema.prisma";
export const POSTGRES_CLIENT_OUTPUT = "../../lib/generated/prisma-postgres";

const HEADER = `// GENERATED from prisma/schema.prisma by scripts/schema-postgres.ts (run by postinstall).
// Do not edit: change prisma/schema.prisma and run \`npm run db:schema\`. Only the datasource
// provider and the client's output differ, so both databases have the same models.

`;

/** Replaces exactly one match of `pattern` in `text`, or throws naming `what` (the source changed shape). */
function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`)) ?? [];
  if (matches.length !== 1) throw new Error(`prisma/schema.prisma: expected one ${what}, found ${matches.length}`);
  return text.replace(pattern, replacement);
}

/** The PostgreSQL schema of `sqliteSchema` (the text of prisma/schema.prisma). */
export function derivePostgresSchema(sqliteSchema: string): string {
  let text = replaceOnce(sqliteSchema, /(datasource db \{\s*provider\s*=\s*)"sqlite"/, '$1"postgresql"', 'datasource with provider = "sqlite"');
  text = replaceOnce(text, /(generator client \{[^}]*output\s*=\s*)"[^"]*"/, `$1"${POSTGRES_CLIENT_OUTPUT}"`, "generator client with an output");
  return HEADER + text;
}
