import { readFile } from "node:fs/promises";
import { join } from "node:path";

export const dynamic = "force-dynamic";

/** The build this server runs, read from disk on each request: after a deploy it differs from an open page's bundle. */
export async function GET(): Promise<Response> {
  const buildId = (await readFile(join(process.cwd(), ".next", "BUILD_ID"), "utf8").catch(() => "dev")).trim();
  return Response.json({ buildId }, { headers: { "cache-control": "no-store" } });
}
