import { describe, expect, it } from "vitest";
import { UNKNOWN_CLIENT, clientAddress, clientKey, normalizeAddress } from "./client-address";

describe("clientAddress", () => {
  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.9", "198.51.100.1", [])).toBe("203.0.113.9");
    expect(clientAddress("::ffff:203.0.113.9", undefined, [])).toBe("203.0.113.9");
  });

  it("behind a trusted proxy, is the address the proxy appended, not what the client wrote before it", () => {
    // nginx appends the peer it saw: "<what the client sent>, <the client>".
    expect(clientAddress("127.0.0.1", "1.2.3.4, 203.0.113.9", ["127.0.0.1"])).toBe("203.0.113.9");
    expect(clientAddress("::ffff:127.0.0.1", "203.0.113.9", ["127.0.0.1"])).toBe("203.0.113.9");
  });

  it("walks back through a chain of trusted proxies, and stops at the first it does not trust", () => {
    const trusted = ["127.0.0.1", "10.0.0.2"];
    expect(clientAddress("127.0.0.1", ["6.6.6.6, 203.0.113.9", "10.0.0.2"], trusted)).toBe("203.0.113.9");
    expect(clientAddress("127.0.0.1", "203.0.113.9, 10.0.0.2", trusted)).toBe("203.0.113.9");
    expect(clientAddress("127.0.0.1", "10.0.0.2", trusted)).toBe("10.0.0.2");
  });

  it("from a trusted proxy with no header or garbage in it, is the proxy", () => {
    expect(clientAddress("127.0.0.1", undefined, ["127.0.0.1"])).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "1.2.3.4, not-an-address", ["127.0.0.1"])).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "", ["127.0.0.1"])).toBe("127.0.0.1");
  });

  it("without a peer (a closed socket) is unknown", () => {
    expect(clientAddress(undefined, "203.0.113.9", ["127.0.0.1"])).toBe(UNKNOWN_CLIENT);
  });
});

describe("normalizeAddress", () => {
  it.each([
    ["192.168.1.20", "192.168.1.20"],
    [" 192.168.1.20 ", "192.168.1.20"],
    ["::FFFF:192.168.1.20", "192.168.1.20"],
    ["2001:DB8::1", "2001:db8::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["::1", "::1"],
    ["::", "::"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
  ])("%s is %s", (value, expected) => expect(normalizeAddress(value)).toBe(expected));

  it.each(["", "unknown", "256.1.1.1", "1.2.3", "01.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3", "1:2:3:4:5:6:7::8", "12345::1", "[::1]", "1.2.3.4:80", "x".repeat(1000)])(
    "%j is no address",
    (value) => expect(normalizeAddress(value)).toBeNull(),
  );
});

describe("clientKey", () => {
  it("counts an IPv4 address alone and an IPv6 address by its /64", () => {
    expect(clientKey("203.0.113.9")).toBe("203.0.113.9");
    expect(clientKey("2001:db8:0:1::1")).toBe("2001:db8:0:1::/64");
    expect(clientKey("2001:0db8:0000:0001:ffff:ffff:ffff:ffff")).toBe("2001:db8:0:1::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey(UNKNOWN_CLIENT)).toBe(UNKNOWN_CLIENT);
  });
});
