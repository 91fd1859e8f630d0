import { describe, expect, it } from "vitest";
import { requestSite } from "./request-site";

const headers = (init: Record<string, string>) => new Headers(init);

describe("requestSite", () => {
  it("without a trusted proxy, is the Host and the connection's scheme, whatever X-Forwarded-* say", () => {
    expect(requestSite(headers({ host: "ops:3000", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }), "http:", false)).toEqual({ host: "ops:3000", https: false });
  });

  it("behind a trusted proxy, is what the nearest proxy wrote", () => {
    expect(requestSite(headers({ host: "127.0.0.1:3001", "x-forwarded-host": "wall.ops.example", "x-forwarded-proto": "https" }), "http:", true)).toEqual({ host: "wall.ops.example", https: true });
    expect(requestSite(headers({ host: "127.0.0.1:3001", "x-forwarded-host": "evil.example, wall.ops.example", "x-forwarded-proto": "https, http" }), "http:", true)).toEqual({ host: "wall.ops.example", https: false });
    expect(requestSite(headers({ host: "ops:3000" }), "https:", true)).toEqual({ host: "ops:3000", https: true });
  });
});
