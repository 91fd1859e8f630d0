/**
 * Notification channels over HTTP. Configuring them and sending a test message need the admin
 * token (the web app calls them for a signed-in admin only, app/api/alerts/channels); the
 * deliveries of alerts are open to read, like the alerts. No answer carries a channel's URL
 * or secret: they are write-only.
 *
 * A channel's URL is an outbound request from this server, to wherever the admin points it,
 * internal addresses included: that is the admin's choice (the risk of a forged request is
 * bounded by the admin role). Redirects are never followed and the secret only signs.
 */
import { randomBytes } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { channelById, deleteChannel, deliveriesOf, listChannels, saveChannel } from "@/lib/db/notify";
import { CHANNEL_ID, channelFromInput, publicChannel } from "@/lib/notify/channels";
import { sendNotice } from "./notifier";
import { HttpError, authorizeAdmin, readJson, sendJson, type Route } from "./http-json";

const MAX_BODY_BYTES = 8 * 1024;
/** GET /alerts/deliveries?alert=…: at most this many alerts per request. */
const MAX_ALERT_IDS = 200;

export interface NotifyRouteDeps {
  db: Database;
  adminToken: string;
  /** Wall clock: signatures and updatedAt. */
  now(): number;
  /** Source clock: a channel's creation, compared with alert times. */
  simNow(): number;
  publicUrl: string;
}

export function createNotifyRoutes(deps: NotifyRouteDeps): Route {
  const { db } = deps;

  async function save(id: string, body: unknown, isNew: boolean) {
    const stored = isNew ? null : await channelById(db, id);
    if (!isNew && !stored) throw new HttpError(404, `id: no channel ${id}`);
    const made = channelFromInput(body, stored, { id, nowTs: deps.simNow(), nowMs: deps.now() });
    if (!made.ok) throw new HttpError(400, made.message);
    await saveChannel(db, made.channel);
    return publicChannel(made.channel);
  }

  return async (req, res, url) => {
    const method = req.method ?? "GET";
    if (url.pathname === "/alerts/deliveries") {
      if (method !== "GET") throw new HttpError(405, "method: use GET");
      const ids = url.searchParams.getAll("alert");
      if (ids.length === 0) throw new HttpError(400, "alert: name at least one alert id (?alert=<id>&alert=<id>…)");
      if (ids.length > MAX_ALERT_IDS) throw new HttpError(400, `alert: at most ${MAX_ALERT_IDS} alerts per request`);
      sendJson(res, 200, { deliveries: await deliveriesOf(db, ids) });
      return true;
    }
    if (url.pathname === "/alerts/channels") {
      authorizeAdmin(req, deps.adminToken);
      if (method === "GET") {
        sendJson(res, 200, { channels: (await listChannels(db)).map(publicChannel) });
        return true;
      }
      if (method !== "POST") throw new HttpError(405, "method: use GET or POST");
      const channel = await save(`ch-${randomBytes(4).toString("hex")}`, await readJson(req, MAX_BODY_BYTES), true);
      sendJson(res, 201, { channel });
      return true;
    }
    const match = /^\/alerts\/channels\/([^/]+)(\/test)?$/.exec(url.pathname);
    if (!match?.[1]) return false;
    authorizeAdmin(req, deps.adminToken);
    const id = decodeURIComponent(match[1]);
    if (!CHANNEL_ID.test(id)) throw new HttpError(404, `id: no channel ${id}`);
    if (match[2]) {
      if (method !== "POST") throw new HttpError(405, "method: use POST");
      const channel = await channelById(db, id);
      if (!channel) throw new HttpError(404, `id: no channel ${id}`);
      const result = await sendNotice(channel, { kind: "test", channel: { id: channel.id, name: channel.name }, at: deps.now() }, { nowMs: deps.now(), publicUrl: deps.publicUrl });
      sendJson(res, 200, { result: { ok: result.ok, statusCode: result.statusCode, why: result.why, ms: result.ms } });
      return true;
    }
    if (method === "PUT") {
      sendJson(res, 200, { channel: await save(id, await readJson(req, MAX_BODY_BYTES), false) });
      return true;
    }
    if (method === "DELETE") {
      if (!(await deleteChannel(db, id, deps.now()))) throw new HttpError(404, `id: no channel ${id}`);
      sendJson(res, 200, { deleted: id });
      return true;
    }
    throw new HttpError(405, "method: use PUT or DELETE");
  };
}
