/**
 * Notifications end to end, on each database: a real side server, alerts opened by samples sent
 * through POST /ingest, and real HTTP receivers on 127.0.0.1 that check each robot's format
 * and signature the way its vendor does (server/test/notify-receivers.ts). Nothing is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "@/lib/config";
import { insertAlert } from "@/lib/db/alerts";
import { createIngestToken } from "@/lib/db/ingest-tokens";
import type { Delivery } from "@/lib/notify/channels";
import { PROVIDERS, unavailable } from "@/lib/db/test-databases";
import { Event, ZAlertState, type TAlert } from "@/lib/realtime/protocol";
import type { SideServer } from "../app";
import { api, bootSideServer, connect, hello, sideServerDatabase, sleep, tempDir, waitFor, waitForAsync, type ApiResponse, type TestClient } from "./helpers";
import { startReceiver, type Receiver } from "./notify-receivers";

const TOKEN = "notify-test-admin-token";
const BASE = "http://ops.example:3000";
const T1 = Date.parse("2026-11-25T08:00:30+08:00");
const SECRET = {
  wecomKey: "wecom-key-5b1f0e6c-7d2a",
  dingtalkToken: "dingtalk-access-token-77aa",
  dingtalkSecret: "SECdingtalk-signing-secret-0123",
  feishuSecret: "feishu-signing-secret-4567",
  hookSecret: "hook-hmac-secret-89ab",
};

const LOT_RULE = { name: { zh: "停车场满（测试）", en: "Car park full (test)" }, metricId: "parking.occupancy", scope: "lot-futian-001", direction: "above", threshold: 95, clearAt: 90, forSeconds: 0, severity: "critical" };
const ROAD_RULE = { name: { zh: "道路拥堵（测试）", en: "Road jammed (test)" }, metricId: "traffic.congestionIndex", scope: "road-shennan", direction: "above", threshold: 8, clearAt: 7, forSeconds: 0, severity: "warning" };

// Both alerts opened at T1: the replay runs from 10 minutes before to 5 minutes after.
const REPLAY = `${BASE}/?replay=2026-11-25T07%3A50%3A30%2B08%3A00&until=2026-11-25T08%3A05%3A30%2B08%3A00&speed=10`;

for (const provider of PROVIDERS) describe.skipIf(unavailable(provider))(`notifications on ${provider}`, () => notifyContract(provider));

function notifyContract(provider: Provider): void {
  const temp = tempDir();
  let database: Awaited<ReturnType<typeof sideServerDatabase>>;
  let server: SideServer;
  let client: TestClient;
  let ingestToken: string;
  const announced: TAlert[][] = [];
  /** Every answer the side server gave in this file, to search for secrets. */
  const answers: string[] = [];
  const channels: Record<string, string> = {};
  let wecom: Receiver, dingtalk: Receiver, feishu: Receiver, hook: Receiver, hanging: Receiver, gone: Receiver;

  const env = () => ({ ...database.env, SIM_ENABLED: "false", SIM_START: "2026-11-25T08:00:00+08:00", ADMIN_TOKEN: TOKEN, PUBLIC_URL: BASE, NOTIFY_RETRY_SECONDS: "0.5", NOTIFY_MAX_ATTEMPTS: "30" });
  /** `token` null: without the admin token. */
  /** The side server's count of WeCom notification attempts with `outcome` (GET /metrics). */
  const wecomDeliveries = async (outcome: string): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    return Number(new RegExp(`^onescreen_notification_deliveries_total\\{channel="wecom",outcome="${outcome}"\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
  };
  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<ApiResponse> => {
    const res = await api(server.port, method, path, { token: token ?? undefined, body });
    answers.push(JSON.stringify(res.body));
    return res;
  };
  const ingest = (samples: { metricId: string; entityId: string; ts: number; value: number }[]) => api(server.port, "POST", "/ingest", { token: ingestToken, body: { samples } });
  const alertOf = (ruleId: string) => waitFor(`an alert of ${ruleId}`, () => announced.at(-1)?.find((a) => a.ruleId === ruleId), 15_000);
  const deliveries = async (alertId: string) => (await call("GET", `/alerts/deliveries?alert=${alertId}`, undefined, null)).body.deliveries as Delivery[];
  const deliveryTo = (alertId: string, channel: string, event: string, check: (d: Delivery) => boolean, timeoutMs = 15_000) =>
    waitForAsync(`the ${event} delivery of ${alertId} to ${channel}`, async () => (await deliveries(alertId)).find((d) => d.channelId === channels[channel] && d.event === event && check(d)), timeoutMs);
  const addChannel = async (key: string, channel: Record<string, unknown>) => {
    const res = await call("POST", "/alerts/channels", channel);
    expect(res.status).toBe(201);
    channels[key] = (res.body.channel as { id: string }).id;
  };

  beforeAll(async () => {
    [wecom, dingtalk, feishu, hook, hanging, gone] = await Promise.all([
      startReceiver("wecom", { key: SECRET.wecomKey }),
      startReceiver("dingtalk", { key: SECRET.dingtalkToken, secret: SECRET.dingtalkSecret }),
      startReceiver("feishu", { secret: SECRET.feishuSecret }),
      startReceiver("webhook", { secret: SECRET.hookSecret }),
      startReceiver("webhook", { behaviour: "hang" }),
      startReceiver("webhook", { behaviour: { status: 404 } }),
    ]);
    database = await sideServerDatabase(provider, "notify");
    server = await bootSideServer(temp.dir, env());
    client = await connect(server.port);
    await hello(client);
    client.on(Event.alerts, (raw) => announced.push(ZAlertState.parse(raw).alerts));
    ingestToken = await createIngestToken(server.db, "notify-test");
    expect((await call("PUT", "/alerts/rules/t-lot-full", LOT_RULE)).status).toBe(200);
    expect((await call("PUT", "/alerts/rules/t-road-jam", ROAD_RULE)).status).toBe(200);
    // Criticals of traffic and parking to the WeCom group; traffic warnings to DingTalk; health only to Feishu;
    // everything to our webhook, to one that never answers and to one that is gone (404).
    await addChannel("wecom", { name: "值班群 WeCom", type: "wecom", url: wecom.url, severities: ["critical"], domains: ["traffic", "parking"] });
    await addChannel("dingtalk", { name: "交通钉钉群", type: "dingtalk", url: dingtalk.url, secret: SECRET.dingtalkSecret, severities: ["warning"], domains: ["traffic"] });
    await addChannel("feishu", { name: "卫健飞书群", type: "feishu", url: feishu.url, secret: SECRET.feishuSecret, format: "interactive", severities: ["critical", "warning", "info"], domains: ["health"] });
    const all = { severities: ["critical", "warning", "info"], domains: ["traffic", "parking", "health", "broadband"], onAcknowledge: true };
    await addChannel("hook", { name: "工单系统", type: "webhook", url: hook.url, secret: SECRET.hookSecret, ...all });
    await addChannel("hanging", { name: "不应答", type: "webhook", url: hanging.url, ...all });
    await addChannel("gone", { name: "已下线", type: "webhook", url: gone.url, ...all, severities: ["critical"] });
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await server?.close();
    await database?.drop();
    await Promise.all([wecom, dingtalk, feishu, hook, hanging, gone].map((r) => r?.down()));
    temp.cleanup();
  });

  it("only an admin configures channels; a bad one is refused naming its field and nothing is stored", async () => {
    const before = (await call("GET", "/alerts/channels")).body.channels as unknown[];
    expect((await call("GET", "/alerts/channels", undefined, null)).status).toBe(401);
    expect((await call("POST", "/alerts/channels", { name: "x", type: "wecom", url: wecom.url, severities: ["critical"], domains: ["traffic"] }, "wrong-token-of-the-same-size")).status).toBe(401);
    expect(await call("POST", "/alerts/channels", { name: "x", type: "wecom", url: "ftp://files.example/x", severities: ["critical"], domains: ["traffic"] })).toMatchObject({
      status: 400,
      body: { error: "url: must be http:// or https:// (not ftp://)" },
    });
    expect(await call("POST", "/alerts/channels", { name: "x", type: "dingtalk", url: dingtalk.url, format: "post", severities: ["critical"], domains: ["traffic"] })).toMatchObject({
      status: 400,
      body: { error: "format: a dingtalk channel sends markdown or text" },
    });
    expect(await call("PUT", `/alerts/channels/${channels.wecom}`, { name: "x", type: "wecom", secret: "nope", severities: ["critical"], domains: ["traffic"] })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^secret: /) } });
    expect((await call("PUT", "/alerts/channels/ch-00000000", { name: "x", type: "wecom", url: wecom.url, severities: ["critical"], domains: ["traffic"] })).status).toBe(404);
    expect((await call("GET", "/alerts/channels")).body.channels).toEqual(before);
  });

  it("an alert opened by an ingested sample reaches the WeCom receiver byte for byte; each channel gets only what its filters take", async () => {
    const res = await ingest([
      { metricId: "parking.occupancy", entityId: "lot-futian-001", ts: T1, value: 97.5 },
      { metricId: "traffic.congestionIndex", entityId: "road-shennan", ts: T1, value: 9.1 },
    ]);
    expect(res.status).toBe(200);
    // A channel that never answers delays nothing: both alerts are announced at once.
    const lot = await alertOf("t-lot-full");
    const road = await alertOf("t-road-jam");

    await waitFor("the WeCom message", () => wecom.received[0]);
    expect(wecom.received).toHaveLength(1);
    expect(wecom.received[0]!.refused).toBeNull();
    const content = [
      `### <font color="warning">◆ 严重 · 停车场满（测试） · 福田公共停车场 001（福田区）</font>`,
      "> 对象：福田公共停车场 001（福田区）",
      "> 数值：泊位占用率 97.5 %",
      "> 越限开始：2026-11-25 08:00:30",
      "> 告警时间：2026-11-25 08:00:30",
      "> 状态：未确认",
      `[查看对象](${BASE}/entity/lot-futian-001)　[回放前后](${REPLAY})`,
    ].join("\n");
    expect(wecom.received[0]!.body.toString("utf8")).toBe(JSON.stringify({ msgtype: "markdown", markdown: { content } }));

    // DingTalk takes the traffic warning only, signed as DingTalk checks it.
    await waitFor("the DingTalk message", () => dingtalk.received[0]);
    expect(dingtalk.received).toHaveLength(1);
    expect(dingtalk.received[0]!.refused).toBeNull();
    const title = "▲ 警告 · 道路拥堵（测试） · 深南大道（福田区）";
    const text = [`### ${title}`, "", "- **对象**：深南大道（福田区）", "- **数值**：交通拥堵指数 9.1", "- **越限开始**：2026-11-25 08:00:30", "- **告警时间**：2026-11-25 08:00:30", "- **状态**：未确认", "", `[查看对象](${BASE}/entity/road-shennan) · [回放前后](${REPLAY})`].join("\n");
    expect(dingtalk.received[0]!.body.toString("utf8")).toBe(JSON.stringify({ msgtype: "markdown", markdown: { title, text } }));

    // Our webhook takes both, signed; the one that is gone refuses the critical for good (404, no retry).
    await waitFor("both webhook messages", () => (hook.received.length >= 2 ? true : undefined));
    const bodies = hook.received.map((r) => JSON.parse(r.body.toString("utf8")) as { event: string; alert: { id: string; state: string; value: number } });
    expect(hook.received.every((r) => r.refused === null)).toBe(true);
    expect(bodies.map((b) => [b.event, b.alert.id, b.alert.value]).sort()).toEqual([["open", lot.id, 97.5], ["open", road.id, 9.1]].sort());
    expect(await deliveryTo(lot.id, "gone", "open", (d) => d.status === "failed")).toMatchObject({ attempts: 1, statusCode: 404, why: "HTTP 404: not here" });

    // What is recorded per alert: sent, and the channel that never answers still trying after a timeout.
    expect(await deliveryTo(lot.id, "wecom", "open", (d) => d.status === "sent")).toMatchObject({ channelName: "值班群 WeCom", attempts: 1, statusCode: 200, why: null });
    expect(await deliveryTo(road.id, "dingtalk", "open", (d) => d.status === "sent")).toMatchObject({ attempts: 1, statusCode: 200 });
    expect(await deliveryTo(lot.id, "hanging", "open", (d) => d.attempts >= 1)).toMatchObject({ status: "pending", statusCode: null, why: "no answer within 5 s" });
    // Feishu takes health only; the warning never went to WeCom.
    expect(feishu.received).toHaveLength(0);
    expect((await deliveries(road.id)).map((d) => d.channelId)).not.toContain(channels.wecom);
    expect((await deliveries(lot.id)).map((d) => d.channelId)).not.toContain(channels.feishu);
  }, 30_000);

  it("with the WeCom receiver down, a resolution is recorded as failed with why, retried, and sent once it is back", async () => {
    const lot = await alertOf("t-lot-full");
    const [retriedBefore, sentBefore] = [await wecomDeliveries("retry"), await wecomDeliveries("sent")];
    await wecom.down();
    expect((await call("POST", `/alerts/${lot.id}/resolve`, { by: "operator1" })).status).toBe(200);
    const failing = await deliveryTo(lot.id, "wecom", "resolve", (d) => d.attempts >= 2);
    expect(failing).toMatchObject({ status: "pending", statusCode: null, why: `connect ECONNREFUSED 127.0.0.1:${wecom.port}` });
    expect(failing.nextAttemptAt).toBeGreaterThan(failing.lastAttemptAt!);
    // The dead channel costs only its own row: the webhook has the resolution already.
    await waitFor("the webhook's resolution", () => hook.received.find((r) => r.body.toString("utf8").includes('"event":"resolve"')));

    await wecom.up();
    const sent = await deliveryTo(lot.id, "wecom", "resolve", (d) => d.status === "sent");
    expect(sent.attempts).toBeGreaterThan(failing.attempts);
    expect(sent).toMatchObject({ statusCode: 200, why: null });
    // GET /metrics counts each failed attempt as a retry and the last as sent, under the channel's type.
    expect(await wecomDeliveries("retry")).toBeGreaterThanOrEqual(retriedBefore + failing.attempts);
    expect(await wecomDeliveries("sent")).toBeGreaterThanOrEqual(sentBefore + 1);
    const body = JSON.parse(wecom.received.at(-1)!.body.toString("utf8")) as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe("markdown");
    expect(body.markdown.content.split("\n")).toEqual([
      `### <font color="info">■ 已解除 · 停车场满（测试） · 福田公共停车场 001（福田区）</font>`,
      "> 对象：福田公共停车场 001（福田区）",
      "> 数值：泊位占用率 97.5 %",
      "> 越限开始：2026-11-25 08:00:30",
      "> 告警时间：2026-11-25 08:00:30",
      "> 状态：已解除",
      expect.stringMatching(/^> 解除：operator1 · 2026-11-25 08:0\d:\d\d$/),
      "> 最差值：泊位占用率 97.5 %",
      expect.stringMatching(/^\[查看对象\]\(http:\/\/ops\.example:3000\/entity\/lot-futian-001\)　\[回放前后\]\(/),
    ]);
  }, 30_000);

  it("an automatic resolution is notified too, with the worst value", async () => {
    const road = await alertOf("t-road-jam");
    const before = dingtalk.received.length;
    expect((await ingest([{ metricId: "traffic.congestionIndex", entityId: "road-shennan", ts: T1 + 30_000, value: 6.5 }])).status).toBe(200);
    await deliveryTo(road.id, "dingtalk", "resolve", (d) => d.status === "sent");
    expect(dingtalk.received).toHaveLength(before + 1);
    expect(dingtalk.received.at(-1)!.refused).toBeNull();
    const { markdown } = JSON.parse(dingtalk.received.at(-1)!.body.toString("utf8")) as { markdown: { title: string; text: string } };
    expect(markdown.title).toBe("■ 已解除 · 道路拥堵（测试） · 深南大道（福田区）");
    expect(markdown.text).toContain("- **解除**：自动（条件恢复） · 2026-11-25 08:01:00\n- **最差值**：交通拥堵指数 9.1");
  });

  it("a delivery still pending when the side server stops is sent by the next start, and an event never queued is queued then", async () => {
    await wecom.down();
    const before = wecom.received.length;
    // The hand resolution released the episode: the next sample above 95 opens a new alert at once.
    expect((await ingest([{ metricId: "parking.occupancy", entityId: "lot-futian-001", ts: T1 + 60_000, value: 98 }])).status).toBe(200);
    const again = await waitFor("a new lot alert", () => announced.at(-1)?.find((a) => a.ruleId === "t-lot-full"), 15_000);
    await deliveryTo(again.id, "wecom", "open", (d) => d.attempts >= 1 && d.status === "pending");
    // As a crash between storing an alert and queueing its notifications leaves it: stored, nothing queued.
    const orphan = "orphan-alert-0001";
    await insertAlert(server.db, { id: orphan, ruleId: "t-lot-full", metricId: "parking.occupancy", entityId: "lot-futian-002", severity: "critical", sinceTs: T1, openedTs: T1, triggerValue: 99, peakValue: 99 });
    await sleep(1_500);
    expect(await deliveries(orphan)).toEqual([]);
    client.close();
    await server.close();

    await wecom.up();
    server = await bootSideServer(temp.dir, env());
    client = await connect(server.port);
    await hello(client);
    client.on(Event.alerts, (raw) => announced.push(ZAlertState.parse(raw).alerts));
    await deliveryTo(again.id, "wecom", "open", (d) => d.status === "sent");
    await deliveryTo(orphan, "wecom", "open", (d) => d.status === "sent");
    const texts = wecom.received.slice(before).map((r) => r.body.toString("utf8"));
    expect(texts).toHaveLength(2);
    expect(texts.find((t) => t.includes("泊位占用率 98.0 %"))).toContain("福田公共停车场 001");
    expect(texts.find((t) => t.includes("泊位占用率 99.0 %"))).toContain("福田公共停车场 002");
  }, 40_000);

  it("the test button sends a test message and answers what came of it", async () => {
    const ok = await call("POST", `/alerts/channels/${channels.wecom}/test`);
    expect(ok).toMatchObject({ status: 200, body: { result: { ok: true, statusCode: 200, why: null } } });
    const content = (JSON.parse(wecom.received.at(-1)!.body.toString("utf8")) as { markdown: { content: string } }).markdown.content;
    expect(content).toMatch(/^### <font color="info">OneScreen 测试消息<\/font>\n> 渠道：值班群 WeCom\n> 说明：此渠道已能收到 OneScreen 告警通知。\n> 时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n\[打开大屏\]\(http:\/\/ops\.example:3000\/\)$/);

    const signed = await call("POST", `/alerts/channels/${channels.feishu}/test`);
    expect(signed.body).toMatchObject({ result: { ok: true, statusCode: 200 } });
    expect(feishu.received.at(-1)!.refused).toBeNull();
    expect(feishu.received.at(-1)!.body.toString("utf8")).toMatch(/^\{"timestamp":"\d{10}","sign":"[A-Za-z0-9+/]{43}=","msg_type":"interactive","card":\{"header":\{"template":"blue"/);

    await wecom.down();
    expect((await call("POST", `/alerts/channels/${channels.wecom}/test`)).body).toMatchObject({ result: { ok: false, statusCode: null, why: `connect ECONNREFUSED 127.0.0.1:${wecom.port}` } });
    await wecom.up();
    expect((await call("POST", "/alerts/channels/ch-00000000/test")).status).toBe(404);
    expect((await call("POST", `/alerts/channels/${channels.wecom}/test`, undefined, null)).status).toBe(401);
  });

  it("a redirect is never followed: the secret and the message stay with the configured URL", async () => {
    const thief = await startReceiver("webhook");
    const redirecting = await startReceiver("webhook", { behaviour: { status: 307, location: `${thief.url}?stolen=1` } });
    try {
      await addChannel("redirecting", { name: "跳转", type: "webhook", url: redirecting.url, secret: SECRET.hookSecret, severities: ["critical"], domains: ["traffic"] });
      const res = await call("POST", `/alerts/channels/${channels.redirecting}/test`);
      expect(res.body).toMatchObject({ result: { ok: false, statusCode: 307, why: `HTTP 307: redirect to 127.0.0.1:${thief.port} not followed (notifications never follow redirects)` } });
      expect(redirecting.received).toHaveLength(1);
      expect(thief.received).toHaveLength(0);
    } finally {
      await Promise.all([thief.down(), redirecting.down()]);
    }
  });

  it("no answer ever carries a channel's URL key or secret; the list shows them masked", async () => {
    const list = await call("GET", "/alerts/channels");
    const shown = (list.body.channels as { id: string; url: string; secretSet: boolean }[]).find((c) => c.id === channels.dingtalk);
    expect(shown).toMatchObject({ url: `http://127.0.0.1:${dingtalk.port}/…77aa`, secretSet: true });
    expect(answers.length).toBeGreaterThan(20);
    for (const secret of Object.values(SECRET)) for (const answer of answers) expect(answer).not.toContain(secret);
  });
}
