import { describe, expect, it } from "vitest";
import { webReadiness } from "./web-probes";

const URL = "http://127.0.0.1:4000/readyz";

describe("webReadiness", () => {
  it("is ready when Next is prepared and the side server answers 200", () => {
    expect(webReadiness(URL, { status: 200, body: { ready: true, reasons: [] } })).toEqual({ ready: true, reasons: [], checks: { next: "ready", sideServer: { url: URL, status: 200, reasons: [] } } });
  });
  it("is not ready, saying why, when the side server is away or not ready", () => {
    expect(webReadiness(URL, { unreachable: "connect ECONNREFUSED" })).toMatchObject({ ready: false, reasons: [`side server unreachable at ${URL}: connect ECONNREFUSED`], checks: { sideServer: { status: null } } });
    const full = webReadiness(URL, { status: 503, body: { reasons: ["write queue full (1000 of PERSIST_QUEUE_MAX_SAMPLES=1000): new samples are refused"] } });
    expect(full).toMatchObject({ ready: false, reasons: ["side server not ready (HTTP 503): write queue full (1000 of PERSIST_QUEUE_MAX_SAMPLES=1000): new samples are refused"] });
    // A body that is not the side server's (a proxy's error page) still gives the status.
    expect(webReadiness(URL, { status: 502, body: "Bad Gateway" }).reasons).toEqual(["side server not ready (HTTP 502)"]);
  });
});
