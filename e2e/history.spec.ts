/** The history API as a browser or a script calls it, against the production build and real data. */
import { expect, test } from "@playwright/test";

test("GET /api/history returns bucketed points of a live series, and names a bad parameter", async ({ request }) => {
  const to = Date.now();
  const from = to - 5 * 60_000;
  const ok = await request.get(`/api/history?metric=traffic.congestionIndex&entity=shenzhen&from=${from}&to=${to}&maxPoints=100`);
  expect(ok.status()).toBe(200);
  const body = (await ok.json()) as { resolution: string; bucketMs: number; points: [number, number, number, number, number][] };
  expect(body.resolution).toBe("raw");
  expect(body.points.length).toBeGreaterThan(0);
  expect(body.points.length).toBeLessThanOrEqual(100);
  for (const [ts, avg, min, max, count] of body.points) {
    expect(ts).toBeGreaterThanOrEqual(from);
    expect(min).toBeLessThanOrEqual(avg);
    expect(avg).toBeLessThanOrEqual(max);
    expect(count).toBeGreaterThan(0);
  }

  const cases: [string, string][] = [
    [`metric=nope&entity=shenzhen&from=${from}&to=${to}`, "metric"],
    [`metric=traffic.incidents&entity=road-shennan&from=${from}&to=${to}`, "entity"],
    [`metric=traffic.congestionIndex&entity=shenzhen&from=${to}&to=${from}`, "to"],
    [`metric=traffic.congestionIndex&entity=shenzhen&from=yesterday&to=${to}`, "from"],
    [`metric=traffic.congestionIndex&entity=shenzhen&from=${from}&to=${to}&maxPoints=99999`, "maxPoints"],
  ];
  for (const [query, field] of cases) {
    const bad = await request.get(`/api/history?${query}`);
    expect(bad.status(), query).toBe(400);
    expect(((await bad.json()) as { error: string }).error, query).toContain(`${field}:`);
  }
});
