/**
 * Socket.IO wiring: the hello handshake (protocol version, domains), rooms per
 * domain, and the broadcaster the pipeline calls. Snapshot first (in the hello
 * reply), then frames: the client joins its rooms before the reply is sent.
 */
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import {
  EVERYONE_ROOM,
  Event,
  PROTOCOL_VERSION,
  Rejection,
  ZHello,
  domainRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
  type TDrill,
  type TFrame,
  type TLevel,
  type TSnapshot,
} from "@/lib/realtime/protocol";
import type { Domain } from "@/lib/catalog";
import { issuesMessage } from "@/lib/issues";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface RealtimeOptions {
  allowedOrigins: string;
  snapshot(domains: readonly Domain[], level: TLevel): TSnapshot;
}

export function attachRealtime(http: HttpServer, options: RealtimeOptions): RealtimeServer {
  const origins = options.allowedOrigins.trim();
  const io: RealtimeServer = new Server(http, {
    cors: { origin: origins === "*" ? true : origins.split(",").map((o) => o.trim()) },
    // A hello with all four domains is a few hundred bytes; nothing a client sends is larger.
    maxHttpBufferSize: 16 * 1024,
  });

  io.on("connection", (socket) => {
    void socket.join(EVERYONE_ROOM);
    socket.on(Event.hello, (raw, reply) => {
      if (typeof reply !== "function") return;
      const parsed = ZHello.safeParse(raw);
      if (!parsed.success) {
        reply({
          ok: false,
          reason: Rejection.invalidPayload,
          message: issuesMessage(parsed.error, "hello"),
          serverProtocolVersion: PROTOCOL_VERSION,
        });
        return;
      }
      const hello = parsed.data;
      if (hello.protocolVersion !== PROTOCOL_VERSION) {
        reply({
          ok: false,
          reason: Rejection.protocolMismatch,
          message: `client speaks protocol ${hello.protocolVersion}, server ${PROTOCOL_VERSION}: reload the page`,
          serverProtocolVersion: PROTOCOL_VERSION,
        });
        return;
      }
      for (const room of socket.rooms) if (room !== socket.id && room !== EVERYONE_ROOM) void socket.leave(room);
      socket.data.domains = hello.domains;
      // "entities" means every entity too: such a client also follows the city and districts.
      const levels: TLevel[] = hello.level === "entities" ? ["summary", "entities"] : ["summary"];
      void socket.join(hello.domains.flatMap((d) => levels.map((level) => domainRoom(d, level))));
      reply({ ok: true, snapshot: options.snapshot(hello.domains, hello.level) });
    });
  });

  return io;
}

export function broadcastFrame(io: RealtimeServer, frame: TFrame): void {
  io.to(domainRoom(frame.domain, frame.level)).emit(Event.frame, frame);
}

export function announceDrills(io: RealtimeServer, drills: TDrill[]): void {
  io.to(EVERYONE_ROOM).emit(Event.drills, { drills });
}
