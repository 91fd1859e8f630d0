-- Incidents (README, Alerts): the fibre-cut drill cuts Nanshan's access nodes and its hospitals'
-- links, and its incident needs the network side to raise an alert of its own. The new default rule
-- district-outages-many is added where its id is free. An empty table is left empty: the side server
-- seeds it at start. No semicolon in these comments: the PostgreSQL adapter splits a migration at
-- every one.
INSERT INTO "AlertRule" ("id", "nameZh", "nameEn", "metricId", "scope", "kind", "direction", "threshold", "clearAt", "forSeconds", "severity", "enabled", "atLeast", "atLeastPercent")
SELECT 'district-outages-many', '片区网络故障集中', 'Network outages cluster in a district', 'broadband.outages', 'shenzhen', 'district', 'above', 6, 3, 180, 'warning', true, NULL, NULL
WHERE EXISTS (SELECT 1 FROM "AlertRule") AND NOT EXISTS (SELECT 1 FROM "AlertRule" WHERE "id" = 'district-outages-many');
