import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CENSORED, createLogger, scrubSecrets } from "./log";

function capture(format: "json" | "pretty" = "json") {
  let text = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { log: createLogger({ level: "info", format, destination }), text: () => text };
}

const SECRETS = ["pw-hunter2-secret", "tok-7f3a9c", "Bearer abc.def.ghi", "session=s3ss10n", "set-c00kie-val", "dev1ce-t0ken", "adm1n-t0ken", "pg-pa55word"];

describe("the log", () => {
  it("L1 writes one JSON object a line, with level, time, component and the event's fields", () => {
    const { log, text } = capture();
    log.child({ component: "pipeline" }).warn({ queued: 80, bound: 100 }, "persist queue full");
    const lines = text().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, component: "pipeline", queued: 80, bound: 100, msg: "persist queue full", time: expect.any(Number) });
  });

  it("L2 never shows a password, token, authorization header, cookie, Set-Cookie, or a credential in a URL's query or user part", () => {
    const { log, text } = capture();
    log.info(
      {
        password: SECRETS[0],
        token: SECRETS[1],
        req: { method: "GET", url: `/api/x?token=${SECRETS[1]}&page=2`, headers: { authorization: SECRETS[2], cookie: SECRETS[3], "x-admin-token": SECRETS[6] } },
        res: { headers: { "set-cookie": SECRETS[4] } },
        headers: { authorization: SECRETS[2] },
        user: { name: "ops", password: SECRETS[0] },
        url: `/?kiosk=1&device=${SECRETS[5]}`,
        database: `postgresql://onescreen:${SECRETS[7]}@db.internal:5432/onescreen`,
      },
      `opened /?kiosk=1&device=${SECRETS[5]}`,
    );
    log.error({ err: new Error(`cannot reach postgresql://onescreen:${SECRETS[7]}@db/x?password=${SECRETS[0]}`) }, "failed");
    const out = text();
    for (const secret of SECRETS) expect(out).not.toContain(secret);
    const [first, second] = out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    // What is not secret stays, so the line is still useful.
    expect(first).toMatchObject({
      password: CENSORED,
      token: CENSORED,
      req: { method: "GET", url: `/api/x?token=${CENSORED}&page=2`, headers: { authorization: CENSORED, cookie: CENSORED } },
      res: { headers: { "set-cookie": CENSORED } },
      user: { name: "ops", password: CENSORED },
      url: `/?kiosk=1&device=${CENSORED}`,
      database: `postgresql://onescreen:${CENSORED}@db.internal:5432/onescreen`,
      msg: `opened /?kiosk=1&device=${CENSORED}`,
    });
    expect(second).toMatchObject({ err: { type: "Error", message: `cannot reach postgresql://onescreen:${CENSORED}@db/x?password=${CENSORED}` } });
  });

  it("L3 the pretty format is one readable line per event, redacted too", () => {
    const { log, text } = capture("pretty");
    log.child({ component: "web" }).info({ port: 3000, token: SECRETS[1] }, "listening");
    const out = text();
    expect(out).not.toContain("{\"level\"");
    expect(out.trim().split("\n")).toHaveLength(1);
    expect(out).toMatch(/INFO: \[web\] listening \{"port":3000,"token":"\[Redacted\]"\}/);
    expect(out).not.toContain(SECRETS[1]);
  });

  it("L4 a level below LOG_LEVEL is not written", () => {
    let text = "";
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => ((text += chunk.toString()), done()) });
    const log = createLogger({ level: "warn", format: "json", destination });
    log.info("not this");
    log.debug("nor this");
    log.warn("this");
    expect(text.trim().split("\n").map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(["this"]);
  });

  it("L5 scrubSecrets leaves ordinary text alone", () => {
    expect(scrubSecrets("GET /api/history?metric=traffic.congestionIndex&from=1")).toBe("GET /api/history?metric=traffic.congestionIndex&from=1");
    expect(scrubSecrets("http://127.0.0.1:4000/readyz")).toBe("http://127.0.0.1:4000/readyz");
  });
});
