import path from "node:path";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseCimdConfig } from "./clients/cimd-config";
import { parseDcrConfig } from "./clients/dcr-config";
import { CONFIG_VARIABLES, ConfigError, describeListen, parseConfig } from "./config";

const SECRET = "s".repeat(32);
const PG_URL = "postgres://app:pw@db.internal:5432/connected_apps";

describe("parseConfig defaults", () => {
  it("needs nothing: embedded database in <cwd>/.data on http://localhost:3000", () => {
    const config = parseConfig({}, "/srv/app");
    expect(config).toEqual({
      issuer: "http://localhost:3000",
      issuerFromPort: true,
      listen: { port: 3000, hostname: undefined },
      databaseUrl: undefined,
      dataDir: path.resolve("/srv/app", ".data"),
      authSecret: undefined,
      ownerEmail: undefined,
      ownerPassword: undefined,
      development: false,
      secureCookies: false,
      trustProxy: false,
      dcr: parseDcrConfig({}),
      cimd: parseCimdConfig({}),
      pendingRequests: { max: 10_000, perSource: 50 },
    });
  });

  it("bounds on pending authorization requests: read, and refused with the variable named when out of range", () => {
    expect(parseConfig({ AUTHORIZE_PENDING_MAX: "500", AUTHORIZE_PENDING_PER_SOURCE: "5" }).pendingRequests).toEqual({ max: 500, perSource: 5 });
    expect(() => parseConfig({ AUTHORIZE_PENDING_MAX: "5" })).toThrow(/AUTHORIZE_PENDING_MAX/);
    expect(() => parseConfig({ AUTHORIZE_PENDING_PER_SOURCE: "many" })).toThrow(/AUTHORIZE_PENDING_PER_SOURCE/);
  });

  it("resolves the data folder against process.cwd() by default", () => {
    expect(parseConfig({}).dataDir).toBe(path.join(process.cwd(), ".data"));
  });

  it("resolves DATA_DIR against cwd, and keeps an absolute one", () => {
    expect(parseConfig({ DATA_DIR: "var/db" }, "/srv/app").dataDir).toBe(path.resolve("/srv/app/var/db"));
    expect(parseConfig({ DATA_DIR: "/var/lib/connected-apps" }, "/srv/app").dataDir).toBe(
      "/var/lib/connected-apps",
    );
  });

  it("is in development mode only when NODE_ENV=development", () => {
    expect(parseConfig({ NODE_ENV: "development" }).development).toBe(true);
    expect(parseConfig({ NODE_ENV: "production" }).development).toBe(false);
    expect(parseConfig({ NODE_ENV: "test" }).development).toBe(false);
    expect(parseConfig({}).development).toBe(false);
  });

  it("treats empty and blank variables as unset", () => {
    const blank = parseConfig(
      {
        ISSUER: "",
        DATABASE_URL: "",
        DATA_DIR: "",
        AUTH_SECRET: "",
        OWNER_EMAIL: "",
        OWNER_PASSWORD: "",
        NODE_ENV: "",
      },
      "/srv/app",
    );
    expect(blank).toEqual(parseConfig({}, "/srv/app"));
    const spaces = parseConfig({ ISSUER: "  ", DATABASE_URL: " ", AUTH_SECRET: "\t", OWNER_EMAIL: " " }, "/srv/app");
    expect(spaces).toEqual(parseConfig({}, "/srv/app"));
  });

  it("ignores unrelated variables", () => {
    expect(parseConfig({ PATH: "/usr/bin", HOME: "/root" }, "/srv/app")).toEqual(parseConfig({}, "/srv/app"));
  });
});

describe("PORT, HOSTNAME and the issuer they imply", () => {
  it("derives the issuer from PORT when ISSUER is unset, and says so", () => {
    const config = parseConfig({ PORT: "3700" });
    expect(config.issuer).toBe("http://localhost:3700");
    expect(config.issuerFromPort).toBe(true);
    expect(config.listen).toEqual({ port: 3700, hostname: undefined });
  });

  it("keeps an explicit ISSUER whatever the port (a proxy in front, another host name)", () => {
    const config = parseConfig({ PORT: "3700", ISSUER: "https://id.example.com" });
    expect(config.issuer).toBe("https://id.example.com");
    expect(config.issuerFromPort).toBe(false);
    expect(config.listen.port).toBe(3700);
  });

  it("listens where HOSTNAME says; the derived issuer stays localhost (a container's HOSTNAME is no public name)", () => {
    const config = parseConfig({ PORT: "3701", HOSTNAME: "127.0.0.1" });
    expect(config.listen).toEqual({ port: 3701, hostname: "127.0.0.1" });
    expect(config.issuer).toBe("http://localhost:3701");
  });

  it("refuses a PORT that is not a port number, naming the variable", () => {
    for (const value of ["0", "65536", "abc", "80.5", "-1", "1e3", "123456"]) {
      expect(() => parseConfig({ PORT: value }), value).toThrow(/^PORT must be a port number from 1 to 65535/);
    }
    expect(parseConfig({ PORT: "65535" }).listen.port).toBe(65535);
    expect(parseConfig({ PORT: "1" }).listen.port).toBe(1);
  });

  it("names the listening address for the start-up line", () => {
    expect(describeListen({ port: 3000, hostname: undefined })).toBe("port 3000 on every interface (HOSTNAME unset)");
    expect(describeListen({ port: 3000, hostname: "127.0.0.1" })).toBe("127.0.0.1:3000");
    expect(describeListen({ port: 3000, hostname: "::1" })).toBe("[::1]:3000");
  });
});

describe("ISSUER", () => {
  it("keeps a clean http(s) URL", () => {
    expect(parseConfig({ ISSUER: "https://id.example.com" }).issuer).toBe("https://id.example.com");
    expect(parseConfig({ ISSUER: "http://localhost:8080" }).issuer).toBe("http://localhost:8080");
    expect(parseConfig({ ISSUER: "https://id.example.com/auth" }).issuer).toBe("https://id.example.com/auth");
  });

  it("removes the trailing slash, with or without a path", () => {
    expect(parseConfig({ ISSUER: "https://id.example.com/" }).issuer).toBe("https://id.example.com");
    expect(parseConfig({ ISSUER: "https://id.example.com/auth/" }).issuer).toBe("https://id.example.com/auth");
    expect(parseConfig({ ISSUER: "https://id.example.com/auth//" }).issuer).toBe("https://id.example.com/auth");
  });

  it("spells one issuer one way (host case, default port)", () => {
    expect(parseConfig({ ISSUER: "https://ID.Example.COM:443/" }).issuer).toBe("https://id.example.com");
  });

  it.each([
    ["a query", "https://id.example.com/?tenant=1"],
    ["a query after a path", "https://id.example.com/auth?x"],
    ["a fragment", "https://id.example.com/#top"],
    ["a non-http scheme", "ftp://id.example.com"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a file: URL", "file:///etc/passwd"],
    ["no scheme", "id.example.com"],
    ["a host and port without scheme", "localhost:3000"],
    ["garbage", "not a url"],
    ["a relative path", "/auth"],
  ])("refuses %s", (_, value) => {
    expect(() => parseConfig({ ISSUER: value })).toThrow(ConfigError);
  });

  // Regression: `url.search` and `url.hash` are "" for a bare "?" or "#"
  // while `url.href` keeps the marker, so "https://id.example.com/?" used to
  // be accepted as the issuer (and the setup URL became ".../?/setup?token=").
  it.each([
    ["an empty query", "https://id.example.com/?"],
    ["an empty fragment", "https://id.example.com#"],
    ["an empty query after a path", "https://id.example.com/auth/?"],
  ])("refuses %s", (_, value) => {
    expect(() => parseConfig({ ISSUER: value })).toThrow(ConfigError);
  });
});

describe("DATABASE_URL and AUTH_SECRET", () => {
  it("accepts postgres:// and postgresql:// URLs together with AUTH_SECRET", () => {
    const config = parseConfig({ DATABASE_URL: PG_URL, AUTH_SECRET: SECRET });
    expect(config.databaseUrl).toBe(PG_URL);
    expect(config.authSecret).toBe(SECRET);
    const alt = PG_URL.replace("postgres://", "postgresql://");
    expect(parseConfig({ DATABASE_URL: alt, AUTH_SECRET: SECRET }).databaseUrl).toBe(alt);
  });

  it.each(["mysql://u:p@db/app", "file:./dev.db", "sqlite://app.db", "db.internal:5432", "http://db"])(
    "refuses the non-PostgreSQL DATABASE_URL %s",
    (url) => {
      expect(() => parseConfig({ DATABASE_URL: url, AUTH_SECRET: SECRET })).toThrow(ConfigError);
    },
  );

  it("requires AUTH_SECRET with DATABASE_URL (all instances must share it)", () => {
    expect(() => parseConfig({ DATABASE_URL: PG_URL })).toThrow(ConfigError);
    expect(() => parseConfig({ DATABASE_URL: PG_URL, AUTH_SECRET: "" })).toThrow(ConfigError);
  });

  it("refuses an AUTH_SECRET shorter than 32 characters", () => {
    expect(() => parseConfig({ AUTH_SECRET: SECRET.slice(1) })).toThrow(ConfigError);
    expect(() => parseConfig({ DATABASE_URL: PG_URL, AUTH_SECRET: "short" })).toThrow(ConfigError);
    expect(parseConfig({ AUTH_SECRET: SECRET }).authSecret).toBe(SECRET);
  });

  it("allows AUTH_SECRET on the embedded database", () => {
    const config = parseConfig({ AUTH_SECRET: SECRET });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.authSecret).toBe(SECRET);
  });
});

describe("OWNER_EMAIL and OWNER_PASSWORD", () => {
  it("are read together", () => {
    const config = parseConfig({ OWNER_EMAIL: "owner@example.com", OWNER_PASSWORD: "a long password" });
    expect(config.ownerEmail).toBe("owner@example.com");
    expect(config.ownerPassword).toBe("a long password");
  });

  it("must be set together", () => {
    expect(() => parseConfig({ OWNER_EMAIL: "owner@example.com" })).toThrow(ConfigError);
    expect(() => parseConfig({ OWNER_PASSWORD: "a long password" })).toThrow(ConfigError);
    expect(() => parseConfig({ OWNER_EMAIL: "owner@example.com", OWNER_PASSWORD: "" })).toThrow(ConfigError);
  });
});

describe("one configuration, checked whole", () => {
  it("makes cookies Secure exactly when the issuer is https", () => {
    expect(parseConfig({ ISSUER: "https://id.example.com" }).secureCookies).toBe(true);
    expect(parseConfig({ ISSUER: "http://localhost:3000" }).secureCookies).toBe(false);
  });

  it("trusts X-Forwarded-For only when TRUST_PROXY says so, and refuses a value it cannot read", () => {
    expect(parseConfig({}).trustProxy).toBe(false);
    for (const on of ["1", "true"]) expect(parseConfig({ TRUST_PROXY: on }).trustProxy).toBe(true);
    for (const off of ["0", "false", " "]) expect(parseConfig({ TRUST_PROXY: off }).trustProxy).toBe(false);
    expect(() => parseConfig({ TRUST_PROXY: "yes" })).toThrow(/TRUST_PROXY must be 1, true, 0 or false/);
  });

  it("carries the registration and metadata-document settings", () => {
    const config = parseConfig({ DCR_RATE_LIMIT: "7", CIMD_FETCH_TIMEOUT_MS: "900" });
    expect(config.dcr.rateLimit).toBe(7);
    expect(config.cimd.fetchTimeoutMs).toBe(900);
  });

  it("lists every bad variable at once, one per line", () => {
    let error: unknown;
    try {
      parseConfig({ ISSUER: "ftp://x", AUTH_SECRET: "short", OWNER_EMAIL: "a@example.com", DCR_MAX_BODY_BYTES: "lots", DCR_RATE_LIMIT: "0", CIMD_CACHE_MIN_S: "-1" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as Error).message.split("\n");
    for (const name of ["ISSUER", "AUTH_SECRET", "OWNER_EMAIL", "DCR_MAX_BODY_BYTES", "DCR_RATE_LIMIT", "CIMD_CACHE_MIN_S"]) {
      expect(lines.filter((line) => line.includes(name)), name).toHaveLength(1);
    }
    expect(lines).toHaveLength(6);
  });

  it("every variable it reads is documented in .env.example, and .env.example documents nothing else of the server", () => {
    const documented = [...readFileSync(path.join(import.meta.dirname, "..", ".env.example"), "utf8").matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    // Read outside lib/config.ts: the test and browser tooling.
    const elsewhere = ["TEST_DATABASE_URL", "CHROMIUM_PATH"];
    expect(new Set(documented)).toEqual(new Set([...CONFIG_VARIABLES, ...elsewhere]));
  });
});
