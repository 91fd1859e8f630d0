// Writes prisma/postgres/schema.prisma from prisma/schema.prisma (lib/db/schema-derive.ts).
//   tsx scripts/schema-postgres.ts          write it if stale (postinstall runs this before `prisma generate`)
//   tsx scripts/schema-postgres.ts --check  exit 1 when the committed copy is stale
// Under CI (CI set, as .ci/run does) the default is --check: a stale committed copy fails the
// install there instead of being quietly rewritten and passing.
import fs from "node:fs";
import path from "node:path";
import { POSTGRES_SCHEMA_FILE, derivePostgresSchema } from "../lib/db/schema-derive";

const source = fs.readFileSync("prisma/schema.prisma", "utf8");
const derived = derivePostgresSchema(source);
const current = fs.existsSync(POSTGRES_SCHEMA_FILE) ? fs.readFileSync(POSTGRES_SCHEMA_FILE, "utf8") : null;
const check = process.argv.includes("--check") || ["1", "true"].includes(process.env.CI ?? "");

if (current === derived) {
  if (check) console.log(`${POSTGRES_SCHEMA_FILE} is up to date`);
} else if (check) {
  console.error(`${POSTGRES_SCHEMA_FILE} is stale (prisma/schema.prisma changed): run \`npm run db:schema\` and commit it`);
  process.exitCode = 1;
} else {
  fs.mkdirSync(path.dirname(POSTGRES_SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(POSTGRES_SCHEMA_FILE, derived);
  console.log(`wrote ${POSTGRES_SCHEMA_FILE} from prisma/schema.prisma: commit it`);
}
