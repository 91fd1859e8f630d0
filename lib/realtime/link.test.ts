import { describe, expect, it } from "vitest";
import { linkStatus, type LinkInputs } from "./link";

const T = 1_000_000;
const base: LinkInputs = { socket: "connected", now: T, lastFrameAt: T - 500, connectedAt: T - 60_000, disconnectedAt: null, frameIntervalMs: 1_000 };

describe("the link indicator describes the data, not only the socket", () => {
  it.each<[string, Partial<LinkInputs>, string]>([
    ["frames arriving every second", {}, "connected"],
    ["just connected, no frame yet", { lastFrameAt: null, connectedAt: T - 1_000 }, "connected"],
    ["connected, the last frame 2.9 s ago", { lastFrameAt: T - 2_900 }, "connected"],
    ["connected, the last frame 3.1 s ago (a frozen side server)", { lastFrameAt: T - 3_100 }, "silent"],
    ["connected 4 s ago and never a frame (the simulator off, nothing ingested)", { lastFrameAt: null, connectedAt: T - 4_000 }, "silent"],
    ["an entity page reporting every 10 s, 15 s after its last report", { frameIntervalMs: 10_000, lastFrameAt: T - 15_000 }, "connected"],
    ["an entity page reporting every 10 s, 22 s after its last report", { frameIntervalMs: 10_000, lastFrameAt: T - 22_000 }, "silent"],
    ["reconnecting for 5 s", { socket: "reconnecting", disconnectedAt: T - 5_000 }, "reconnecting"],
    ["reconnecting for 11 s", { socket: "reconnecting", disconnectedAt: T - 11_000 }, "offline"],
    ["first connection under way", { socket: "connecting" }, "connecting"],
    ["a newer side server protocol", { socket: "reload" }, "reload"],
  ])("%s → %s", (_, change, expected) => {
    expect(linkStatus({ ...base, ...change })).toBe(expected);
  });
});
