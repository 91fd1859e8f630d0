/**
 * Upgrading a database seeded with the first default rules, on each database: the migration
 * replaces the defaults still exactly as seeded (lot-full gone, hospital-offline retuned), adds
 * the new ones, and leaves what an operator changed or added; at start the side server resolves
 * the alerts left open under a rule that no longer covers them, as it does when a rule is deleted.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "@/lib/alerts/rules";
import { openDatabase } from "@/lib/db/client";
import { insertAlert } from "@/lib/db/alerts";
import { dialectOf } from "@/lib/db/dialect";
import { applyMigrations, defaultMigrationsDir } from "@/lib/db/migrate";
import { PROVIDERS, createTestDatabase, unavailable, type TestDatabase } from "@/lib/db/test-databases";
import type { Provider } from "@/lib/config";
import { RULE_CHANGED, type ListedAlert } from "../alerts";
import type { SideServer } from "../app";
import { api, bootSideServer, databaseUrl, tempDir, waitForAsync } from "./helpers";

const TOKEN = "alert-upgrade-test-admin-token";
const UPGRADE = "alert_counting_rules";

/** The rule table as the first release seeded it, one default edited by an operator, one rule of their own. */
const FIRST_RULES = [
  ["road-gridlock", "道路严重拥堵", "Road gridlocked", "traffic.congestionIndex", "shenzhen", "road", "above", 8.5, 7, 300, "critical"],
  ["lot-full", "停车场将满", "Car park nearly full", "parking.occupancy", "shenzhen", "lot", "above", 95, 90, 120, "warning"],
  ["hospital-offline", "医院健康信息网断连", "Hospital network link down", "health.connected", "shenzhen", "hospital", "below", 0, 1, 60, "critical"],
  ["district-speed-halved", "区域网速减半", "District download speed halved", "broadband.downloadMbps", "shenzhen", "district", "below", 150, 200, 180, "warning"],
  ["futian-lots", "福田停车场将满", "Futian car park nearly full", "parking.occupancy", "futian", "lot", "above", 97, 93, 60, "warning"],
] as const;

/** The migrations of the release before the upgrade, in a folder of their own. */
/** The migrations before the upgrade in a directory of their own, and the names of the upgrade and those after it. */
function migrationsBefore(provider: Provider): { dir: string; pending: string[]; cleanup(): void } {
  const all = defaultMigrationsDir(provider);
  const dir = mkdtempSync(join(tmpdir(), "onescreen-migrations-"));
  // The database as it was before the upgrade: without that migration, nor any made after it.
  const upgrade = readdirSync(all).find((entry) => entry.endsWith(UPGRADE))!;
  const pending = readdirSync(all).filter((entry) => /^\d{14}_/.test(entry) && entry >= upgrade).sort();
  for (const entry of readdirSync(all)) if (!pending.includes(entry)) cpSync(join(all, entry), join(dir, entry), { recursive: true });
  return { dir, pending, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

for (const provider of PROVIDERS) describe.skipIf(unavailable(provider))(`upgrading the default alert rules on ${provider}`, () => upgradeContract(provider));

function upgradeContract(provider: Provider): void {
  const temp = tempDir();
  let database: TestDatabase | undefined;
  let server: SideServer | undefined;
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    temp.cleanup();
  });

  it("replaces the untouched defaults, keeps the operator's rules, and resolves the alerts of the rule it retired", async () => {
    database = await createTestDatabase(provider, "upgrade");
    const before = migrationsBefore(provider);
    try {
      await applyMigrations(database.target, { migrationsDir: before.dir });
    } finally {
      before.cleanup();
    }
    const db = await openDatabase(database.target);
    try {
      const d = dialectOf(db);
      const enabled = provider === "sqlite" ? "1" : "true";
      for (const r of FIRST_RULES) {
        await db.$executeRawUnsafe(
          d.sql(`INSERT INTO "AlertRule" ("id", "nameZh", "nameEn", "metricId", "scope", "kind", "direction", "threshold", "clearAt", "forSeconds", "severity", "enabled") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${enabled})`),
          ...r,
        );
      }
    } finally {
      await db.$disconnect();
    }
    // The upgrade, and whatever came after it.
    expect(before.pending[0]).toMatch(new RegExp(`_${UPGRADE}$`));
    expect((await applyMigrations(database.target)).applied).toEqual(before.pending);

    // Alerts open when the upgrade came: one a car park's, of the rule retired.
    const upgraded = await openDatabase(database.target);
    const openedTs = Date.parse("2026-11-25T10:00:00+08:00");
    const open = (id: string, ruleId: string, metricId: string, entityId: string, value: number) =>
      insertAlert(upgraded, { id, ruleId, metricId, entityId, severity: "warning", sinceTs: openedTs - 120_000, openedTs, triggerValue: value, peakValue: value });
    try {
      await open("a-lot", "lot-full", "parking.occupancy", "lot-futian-001", 96);
      await open("a-hospital", "hospital-offline", "health.connected", "hospital-futian-01", 0);
      await open("a-road", "road-gridlock", "traffic.congestionIndex", "road-shennan", 8.6);
    } finally {
      await upgraded.$disconnect();
    }

    server = await bootSideServer(temp.dir, { DATABASE_URL: databaseUrl(database.target), ADMIN_TOKEN: TOKEN });
    const rules = (await api(server.port, "GET", "/alerts/rules")).body.rules as { id: string }[];
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(rules.map((r) => r.id).sort()).toEqual([...DEFAULT_RULES.map((r) => r.id), "futian-lots"].sort());
    // Exactly the new defaults, except the one the operator had changed.
    for (const rule of DEFAULT_RULES.filter((r) => r.id !== "road-gridlock")) expect(byId.get(rule.id), rule.id).toEqual(rule);
    expect(byId.get("road-gridlock")).toMatchObject({ threshold: 8.5, clearAt: 7 });
    expect(byId.get("futian-lots")).toMatchObject({ scope: "futian", kind: "lot", threshold: 97 });

    const listed = async () => new Map(((await api(server!.port, "GET", "/alerts?state=all")).body.alerts as ListedAlert[]).map((a) => [a.id, a]));
    const alerts = await waitForAsync("the retired rule's alert resolved", async () => ((await listed()).get("a-lot")?.resolved ? listed() : undefined));
    expect(alerts.get("a-lot")?.resolved).toMatchObject({ by: RULE_CHANGED });
    expect(alerts.get("a-hospital")?.resolved).toBeNull();
    expect(alerts.get("a-road")?.resolved).toBeNull();

    // Deleting a rule resolves its open alerts too: nothing would ever clear them.
    expect((await api(server.port, "DELETE", "/alerts/rules/road-gridlock", { token: TOKEN })).status).toBe(200);
    expect((await listed()).get("a-road")?.resolved).toMatchObject({ by: RULE_CHANGED });
    expect((await listed()).get("a-hospital")?.resolved).toBeNull();
  }, 60_000);
}

describe("upgrading a rule table the operator had changed", () => {
  it("leaves a disabled lot-full as it is, and adds nothing to an empty table (the side server seeds it)", async () => {
    for (const table of ["disabled", "empty"] as const) {
      const database = await createTestDatabase("sqlite", "upgradeedited");
      const before = migrationsBefore("sqlite");
      try {
        await applyMigrations(database.target, { migrationsDir: before.dir });
        const db = await openDatabase(database.target);
        try {
          const [, ...lotFull] = FIRST_RULES[1];
          if (table === "disabled") {
            await db.$executeRawUnsafe(`INSERT INTO "AlertRule" ("id", "nameZh", "nameEn", "metricId", "scope", "kind", "direction", "threshold", "clearAt", "forSeconds", "severity", "enabled") VALUES ('lot-full', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`, ...lotFull);
          }
        } finally {
          await db.$disconnect();
        }
        await applyMigrations(database.target);
        const upgraded = await openDatabase(database.target);
        try {
          const ids = (await upgraded.$queryRawUnsafe<{ id: string }[]>(`SELECT "id" FROM "AlertRule" ORDER BY "id"`)).map((r) => r.id);
          expect(ids, table).toEqual(table === "empty" ? [] : ["city-outages-surge", "district-hospitals-offline", "district-lots-full", "district-outages-many", "hospital-wait-long", "lot-full"]);
        } finally {
          await upgraded.$disconnect();
        }
      } finally {
        before.cleanup();
        await database.drop();
      }
    }
  });
});
