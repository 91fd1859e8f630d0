import { describe, expect, it } from "vitest";
import { ConfigError, ZServerEnv, ZWebEnv, databaseTarget, describeTarget, parseEnv, sqliteFilePath, stateDirectory, type TServerEnv } from "./config";

/** The ConfigError thrown by parsing `env`, or a failure if none is thrown. */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError, but the configuration was accepted");
}

describe("server configuration", () => {
  it("applies the defaults when nothing is set", () => {
    expect(parseEnv(ZServerEnv, {})).toMatchObject({
      REALTIME_PORT: 4000,
      REALTIME_HOST: "0.0.0.0",
      DATABASE_URL: "file:./data/onescreen.db",
      SIM_ENABLED: true,
    });
  });

  it("reads LOG_LEVEL and LOG_FORMAT for both servers (info, auto by default) and names a bad one", () => {
    for (const schema of [ZServerEnv, ZWebEnv]) {
      expect(parseEnv(schema, {})).toMatchObject({ LOG_LEVEL: "info", LOG_FORMAT: "auto" });
      expect(parseEnv(schema, { LOG_LEVEL: "debug", LOG_FORMAT: "json" })).toMatchObject({ LOG_LEVEL: "debug", LOG_FORMAT: "json" });
      expect(configError(() => parseEnv(schema, { LOG_LEVEL: "verbose" })).message).toMatch(/LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/);
      expect(configError(() => parseEnv(schema, { LOG_FORMAT: "xml" })).message).toMatch(/LOG_FORMAT: must be one of auto, json, pretty/);
    }
  });

  it("treats an empty string as unset, so the default applies", () => {
    expect(parseEnv(ZServerEnv, { REALTIME_PORT: "", DATABASE_URL: "", SIM_ENABLED: "" })).toMatchObject({
      REALTIME_PORT: 4000,
      DATABASE_URL: "file:./data/onescreen.db",
      SIM_ENABLED: true,
    });
  });

  it.each([
    ["REALTIME_PORT", "4100", 4100],
    ["SIM_ENABLED", "0", false],
    ["SIM_ENABLED", "no", false],
    ["SIM_ENABLED", "yes", true],
    ["SIM_SEED", "-7", -7],
    ["DATABASE_URL", "file:/var/lib/onescreen/ops.db", "file:/var/lib/onescreen/ops.db"],
    ["DATABASE_URL", "postgresql://ops:secret@db.internal:5432/onescreen", "postgresql://ops:secret@db.internal:5432/onescreen"],
    ["DATABASE_URL", "postgres://ops@db/onescreen", "postgres://ops@db/onescreen"],
    ["PERSIST_QUEUE_MAX_SAMPLES", "50000", 50_000],
  ])("reads %s=%s as %s", (name, raw, expected) => {
    expect(parseEnv(ZServerEnv, { [name]: raw })[name as keyof TServerEnv]).toBe(expected);
  });

  it.each([
    ["REALTIME_PORT", "abc"],
    ["REALTIME_PORT", "70000"],
    ["REALTIME_PORT", "40.5"],
    ["SIM_ENABLED", "maybe"],
    ["PERSIST_FLUSH_MS", "1"],
    ["DATABASE_URL", "mysql://ops@db/onescreen"],
    ["DATABASE_URL", "postgresql://"],
    ["DATABASE_URL", "./data/onescreen.db"],
    ["PERSIST_QUEUE_MAX_SAMPLES", "10"],
  ])("rejects %s=%s with a ConfigError naming the variable", (name, raw) => {
    const error = configError(() => parseEnv(ZServerEnv, { [name]: raw }));
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain(name);
  });

  it("names every bad variable in one error", () => {
    const error = configError(() => parseEnv(ZServerEnv, { REALTIME_PORT: "abc", SIM_ENABLED: "maybe", DATABASE_URL: "mysql://x", SNAPSHOT_MINUTES: "0" }));
    for (const name of ["REALTIME_PORT", "SIM_ENABLED", "DATABASE_URL", "SNAPSHOT_MINUTES"]) expect(error.message).toContain(name);
    expect(error.message).not.toContain("REALTIME_HOST");
  });
});

describe("web configuration", () => {
  it("applies the defaults and leaves the public URL unset", () => {
    const env = parseEnv(ZWebEnv, {});
    expect(env).toMatchObject({ PORT: 3000, REALTIME_PORT: 4000, DATABASE_URL: "file:./data/onescreen.db" });
    expect(env.REALTIME_PUBLIC_URL).toBeUndefined();
  });

  it("accepts an absolute public URL", () => {
    expect(parseEnv(ZWebEnv, { REALTIME_PUBLIC_URL: "http://ops-server:4000" }).REALTIME_PUBLIC_URL).toBe("http://ops-server:4000");
  });

  it.each(["REALTIME_PUBLIC_URL", "REALTIME_INTERNAL_URL"])("rejects %s=not a url, naming it", (name) => {
    expect(configError(() => parseEnv(ZWebEnv, { [name]: "not a url" })).message).toContain(name);
  });

  it("rejects a DATABASE_URL that is neither SQLite nor PostgreSQL, naming it", () => {
    expect(configError(() => parseEnv(ZWebEnv, { DATABASE_URL: "mysql://db/onescreen" })).message).toContain("DATABASE_URL");
    expect(parseEnv(ZWebEnv, { DATABASE_URL: "postgresql://db/onescreen" }).DATABASE_URL).toBe("postgresql://db/onescreen");
  });
});

describe("the web server's limits", () => {
  it("defaults: 10 sign-in checks a minute, one password hashed at a time, two exports", () => {
    expect(parseEnv(ZWebEnv, {})).toMatchObject({
      LOGIN_CHECKS_PER_MINUTE: 10,
      LOGIN_TRACKED_MAX: 10_000,
      PASSWORD_CHECKS_AT_ONCE: 1,
      PASSWORD_CHECKS_WAITING: 16,
      EXPORTS_AT_ONCE: 2,
      EXPORTS_PER_CLIENT: 1,
    });
  });

  it.each([
    ["LOGIN_CHECKS_PER_MINUTE", "0", "must be at least 1"],
    ["PASSWORD_CHECKS_AT_ONCE", "64", "must be at most 16"],
    ["EXPORTS_PER_CLIENT", "1.5", "must be a whole number"],
  ])("rejects %s=%s, naming it", (name, value, message) => {
    expect(configError(() => parseEnv(ZWebEnv, { [name]: value })).message).toContain(`${name}: ${message}`);
  });
});

describe("proxies and walls", () => {
  it("trusts no proxy and lists 20 walls per address by default", () => {
    expect(parseEnv(ZServerEnv, {})).toMatchObject({ TRUSTED_PROXIES: [], WALLS_PER_ADDRESS: 20 });
  });

  it("TRUSTED_PROXIES is a list of addresses, IPv4-mapped ones read as IPv4", () => {
    expect(parseEnv(ZServerEnv, { TRUSTED_PROXIES: " 127.0.0.1, ::1 ,::ffff:10.0.0.2" }).TRUSTED_PROXIES).toEqual(["127.0.0.1", "::1", "10.0.0.2"]);
  });

  it("rejects a TRUSTED_PROXIES entry that is no address, and a WALLS_PER_ADDRESS below 1, naming them", () => {
    expect(configError(() => parseEnv(ZServerEnv, { TRUSTED_PROXIES: "127.0.0.1,nginx" })).message).toContain("TRUSTED_PROXIES: must be comma-separated IP addresses of your proxies, like 127.0.0.1,::1 (not nginx)");
    expect(configError(() => parseEnv(ZServerEnv, { WALLS_PER_ADDRESS: "0" })).message).toContain("WALLS_PER_ADDRESS: must be at least 1");
  });
});

describe("the first admin's password", () => {
  it("follows the password policy, named at start", () => {
    expect(parseEnv(ZWebEnv, { ADMIN_PASSWORD: "first-night-shift-key" }).ADMIN_PASSWORD).toBe("first-night-shift-key");
    expect(configError(() => parseEnv(ZWebEnv, { ADMIN_PASSWORD: "short" })).message).toContain("ADMIN_PASSWORD: must be at least 12 characters");
    expect(configError(() => parseEnv(ZWebEnv, { ADMIN_PASSWORD: "admin-password-1" })).message).toContain("ADMIN_PASSWORD: must not contain the user name (admin)");
    expect(configError(() => parseEnv(ZWebEnv, { ADMIN_PASSWORD: "qwerty123456" })).message).toContain("ADMIN_PASSWORD: is one of the 10,000 most common passwords");
  });
});

describe("framing and proxies on the web server", () => {
  it("nobody frames the app, no proxy is trusted and reading is open by default", () => {
    expect(parseEnv(ZWebEnv, {})).toMatchObject({ FRAME_ANCESTORS: "'none'", TRUSTED_PROXIES: [], PUBLIC_READ: true });
    expect(parseEnv(ZServerEnv, {}).PUBLIC_READ).toBe(true);
    expect(parseEnv(ZWebEnv, { PUBLIC_READ: "false" }).PUBLIC_READ).toBe(false);
    expect(configError(() => parseEnv(ZServerEnv, { PUBLIC_READ: "nobody" })).message).toContain("PUBLIC_READ: must be true or false");
  });

  it.each(["'self'", "'self' https://portal.ops.example", "https://*.ops.example:8443 http://desk-7:3000"])("accepts FRAME_ANCESTORS=%s", (value) => {
    expect(parseEnv(ZWebEnv, { FRAME_ANCESTORS: value }).FRAME_ANCESTORS).toBe(value);
  });

  it.each(["*", "'none' 'self'", "https://ok.example; script-src *", "javascript:alert(1)"])("rejects FRAME_ANCESTORS=%s, naming it", (value) => {
    expect(configError(() => parseEnv(ZWebEnv, { FRAME_ANCESTORS: value })).message).toContain("FRAME_ANCESTORS: must be 'none', 'self', or space-separated origins");
  });
});

describe("the admin token", () => {
  it("must be a bearer token's characters, as it is sent as `Authorization: Bearer <token>`", () => {
    expect(parseEnv(ZServerEnv, { ADMIN_TOKEN: "abcDEF0123456789-._~+/==" }).ADMIN_TOKEN).toBe("abcDEF0123456789-._~+/==");
    expect(configError(() => parseEnv(ZServerEnv, { ADMIN_TOKEN: "my secret admin token" })).message).toContain("ADMIN_TOKEN: must be letters, digits and - . _ ~ + / only");
  });
});

describe("the write queue bound", () => {
  it("defaults to 200,000 samples and must hold at least one ingest batch", () => {
    expect(parseEnv(ZServerEnv, {}).PERSIST_QUEUE_MAX_SAMPLES).toBe(200_000);
    const error = configError(() => parseEnv(ZServerEnv, { PERSIST_QUEUE_MAX_SAMPLES: "1000", INGEST_MAX_SAMPLES: "2000" }));
    expect(error.message).toContain("PERSIST_QUEUE_MAX_SAMPLES: must be at least INGEST_MAX_SAMPLES (2000)");
  });
});

describe("databaseTarget", () => {
  it("a file: URL is SQLite at its resolved path, its state directory beside it", () => {
    const target = databaseTarget("file:./data/onescreen.db", "/srv/onescreen");
    expect(target).toEqual({ provider: "sqlite", file: "/srv/onescreen/data/onescreen.db" });
    expect(stateDirectory(target, "/srv/onescreen")).toBe("/srv/onescreen/data");
    expect(describeTarget(target)).toBe("/srv/onescreen/data/onescreen.db");
  });

  it.each(["postgresql://ops:secret@db:5432/onescreen", "postgres://ops:secret@db:5432/onescreen"])("%s is PostgreSQL, its state in ./data, its password never shown", (url) => {
    const target = databaseTarget(url, "/srv/onescreen/");
    expect(target).toEqual({ provider: "postgresql", url });
    expect(stateDirectory(target, "/srv/onescreen/")).toBe("/srv/onescreen/data");
    expect(describeTarget(target)).not.toContain("secret");
    expect(describeTarget(target)).toContain("ops:***@db:5432/onescreen");
  });
});

describe("sqliteFilePath", () => {
  it.each([
    ["file:./data/onescreen.db", "/srv/onescreen", "/srv/onescreen/data/onescreen.db"],
    ["file:./data/onescreen.db", "/srv/onescreen/", "/srv/onescreen/data/onescreen.db"],
    ["file:data/onescreen.db", "/srv/onescreen", "/srv/onescreen/data/onescreen.db"],
    ["file:/var/lib/onescreen/ops.db", "/srv/onescreen", "/var/lib/onescreen/ops.db"],
  ])("%s in %s → %s", (url, cwd, expected) => {
    expect(sqliteFilePath(url, cwd)).toBe(expected);
  });
});

describe("MQTT configuration", () => {
  it("has no MQTT unless MQTT_URL is set, and feeds the simulator to the pipeline", () => {
    const env = parseEnv(ZServerEnv, {});
    expect(env.MQTT_URL).toBeUndefined();
    expect(env).toMatchObject({ MQTT_CLIENT_ID: "onescreen-side-server", SIM_OUTPUT: "pipeline" });
  });

  it("accepts an mqtt:// or mqtts:// broker with SIM_OUTPUT=mqtt", () => {
    expect(parseEnv(ZServerEnv, { MQTT_URL: "mqtts://broker.example:8883", SIM_OUTPUT: "mqtt" })).toMatchObject({ MQTT_URL: "mqtts://broker.example:8883", SIM_OUTPUT: "mqtt" });
  });

  it("rejects SIM_OUTPUT=mqtt without MQTT_URL, naming both", () => {
    const message = configError(() => parseEnv(ZServerEnv, { SIM_OUTPUT: "mqtt" })).message;
    expect(message).toContain("SIM_OUTPUT");
    expect(message).toContain("MQTT_URL");
  });

  it.each([
    ["MQTT_URL", "http://broker:1883"],
    ["MQTT_URL", "not a url"],
    ["SIM_OUTPUT", "kafka"],
  ])("rejects %s=%s, naming it", (name, raw) => {
    expect(configError(() => parseEnv(ZServerEnv, { [name]: raw })).message).toContain(`${name}:`);
  });
});
