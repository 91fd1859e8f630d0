-- AlterTable
ALTER TABLE "Alert" ADD COLUMN "counted" TEXT;

-- AlterTable
ALTER TABLE "AlertRule" ADD COLUMN "atLeast" INTEGER;
ALTER TABLE "AlertRule" ADD COLUMN "atLeastPercent" REAL;

-- The alert budget (README, Alerts): the first default rules flooded the wall (lot-full opened a
-- warning per full car park, hundreds a day, and hospital-offline a critical for every short link drop).
-- Default rules still exactly as seeded are replaced by the new defaults (lib/alerts/rules.ts
-- DEFAULT_RULES), and a rule an operator changed, disabled or added is left as it is. The new default
-- rules are added where their id is free. An empty table is left empty: the side server seeds it
-- at start, as before. Alerts left open under a rule that is gone are resolved at the next start
-- (server/alerts.ts, resolved by rule-changed). No semicolon in these comments: the PostgreSQL
-- adapter splits a migration at every one.
INSERT INTO "AlertRule" ("id", "nameZh", "nameEn", "metricId", "scope", "kind", "direction", "threshold", "clearAt", "forSeconds", "severity", "enabled", "atLeast", "atLeastPercent")
SELECT 'district-lots-full', '片区停车场普遍将满', 'Most car parks of a district nearly full', 'parking.occupancy', 'shenzhen', 'lot', 'above', 95, 90, 600, 'warning', 1, NULL, 60
WHERE EXISTS (SELECT 1 FROM "AlertRule") AND NOT EXISTS (SELECT 1 FROM "AlertRule" WHERE "id" = 'district-lots-full');
INSERT INTO "AlertRule" ("id", "nameZh", "nameEn", "metricId", "scope", "kind", "direction", "threshold", "clearAt", "forSeconds", "severity", "enabled", "atLeast", "atLeastPercent")
SELECT 'district-hospitals-offline', '片区多家医院断连', 'Several hospitals of a district cut off', 'health.connected', 'shenzhen', 'hospital', 'below', 0, 1, 60, 'critical', 1, 3, NULL
WHERE EXISTS (SELECT 1 FROM "AlertRule") AND NOT EXISTS (SELECT 1 FROM "AlertRule" WHERE "id" = 'district-hospitals-offline');
INSERT INTO "AlertRule" ("id", "nameZh", "nameEn", "metricId", "scope", "kind", "direction", "threshold", "clearAt", "forSeconds", "severity", "enabled", "atLeast", "atLeastPercent")
SELECT 'hospital-wait-long', '医院候诊超长', 'Hospital wait too long', 'health.waitMinutes', 'shenzhen', 'hospital', 'above', 60, 45, 60, 'critical', 1, NULL, NULL
WHERE EXISTS (SELECT 1 FROM "AlertRule") AND NOT EXISTS (SELECT 1 FROM "AlertRule" WHERE "id" = 'hospital-wait-long');
INSERT INTO "AlertRule" ("id", "nameZh", "nameEn", "metricId", "scope", "kind", "direction", "threshold", "clearAt", "forSeconds", "severity", "enabled", "atLeast", "atLeastPercent")
SELECT 'city-outages-surge', '全市网络故障激增', 'Network outages surge city-wide', 'broadband.outages', 'shenzhen', NULL, 'above', 20, 12, 300, 'critical', 1, NULL, NULL
WHERE EXISTS (SELECT 1 FROM "AlertRule") AND NOT EXISTS (SELECT 1 FROM "AlertRule" WHERE "id" = 'city-outages-surge');

DELETE FROM "AlertRule" WHERE "id" = 'lot-full' AND "nameZh" = '停车场将满' AND "nameEn" = 'Car park nearly full' AND "metricId" = 'parking.occupancy' AND "scope" = 'shenzhen' AND "kind" = 'lot' AND "direction" = 'above' AND "threshold" = 95 AND "clearAt" = 90 AND "forSeconds" = 120 AND "severity" = 'warning' AND "enabled" = 1;

UPDATE "AlertRule" SET "severity" = 'warning', "forSeconds" = 900
WHERE "id" = 'hospital-offline' AND "nameZh" = '医院健康信息网断连' AND "nameEn" = 'Hospital network link down' AND "metricId" = 'health.connected' AND "scope" = 'shenzhen' AND "kind" = 'hospital' AND "direction" = 'below' AND "threshold" = 0 AND "clearAt" = 1 AND "forSeconds" = 60 AND "severity" = 'critical' AND "enabled" = 1;
