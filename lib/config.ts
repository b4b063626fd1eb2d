import path from "node:path";
import { z } from "zod";
import { CIMD_VARIABLES, parseCimdConfig, type CimdConfig } from "./clients/cimd-config";
import { DCR_VARIABLES, parseDcrConfig, type DcrConfig } from "./clients/dcr-config";
import { parsePendingLimits, PENDING_VARIABLES, type PendingRequestLimits } from "./oauth/authorize/pending-limits";

/**
 * The one runtime configuration, read from the environment once and checked
 * whole at start-up (lib/startup.ts): a server with a bad variable refuses to
 * start and lists every bad variable. Every variable is documented in
 * .env.example (a test keeps the two in step); nothing is required on the
 * embedded default. Registration (DCR) and metadata-document (CIMD) limits
 * are parsed beside their modules and carried here.
 */
export interface Config {
  /** Public URL of this server, no trailing slash: the OAuth/OIDC issuer. */
  issuer: string;
  /** The issuer was not set: it is `http://localhost:<PORT>`, the address this server answers on this machine. */
  issuerFromPort: boolean;
  /** Where `npm start` listens: PORT, and HOSTNAME (undefined: every interface). */
  listen: ListenAddress;
  /** PostgreSQL connection string; unset means embedded PGlite. */
  databaseUrl: string | undefined;
  /** Folder for the embedded database and the generated server secret. */
  dataDir: string;
  /** Explicit server secret; required with PostgreSQL. */
  authSecret: string | undefined;
  /** Bootstrap owner credentials, used only while no owner exists. */
  ownerEmail: string | undefined;
  ownerPassword: string | undefined;
  /** `next dev`: allows http://localhost redirect URIs for first-party apps. */
  development: boolean;
  /** Cookies are `Secure` (and `__Secure-`/`__Host-` named) exactly when the issuer is https. */
  secureCookies: boolean;
  /** Trust the last `X-Forwarded-For` entry (the one our proxy added) as the client's address; rate limits key on it. */
  trustProxy: boolean;
  dcr: DcrConfig;
  cimd: CimdConfig;
  /** Bounds on stored pending authorization requests. */
  pendingRequests: PendingRequestLimits;
}

export interface ListenAddress {
  port: number;
  hostname: string | undefined;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const envSchema = z.object({
  ISSUER: optional,
  PORT: optional,
  HOSTNAME: optional,
  DATABASE_URL: optional,
  DATA_DIR: optional,
  AUTH_SECRET: optional,
  OWNER_EMAIL: optional,
  OWNER_PASSWORD: optional,
  TRUST_PROXY: optional,
  NODE_ENV: optional,
});

/** Every environment variable the configuration reads (the .env.example test checks them). */
export const CONFIG_VARIABLES = [...Object.keys(envSchema.shape).filter((name) => name !== "NODE_ENV"), ...DCR_VARIABLES, ...CIMD_VARIABLES, ...PENDING_VARIABLES];

/**
 * Parses configuration from an environment object; throws one ConfigError
 * listing every problem, one per line.
 */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const e = envSchema.parse(env);
  const problems: string[] = [];
  const check = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      problems.push(...(error as Error).message.split("\n"));
      return undefined;
    }
  };

  const listen = check(() => listenAddress(e.PORT, e.HOSTNAME));
  // Without ISSUER the issuer follows the port actually served, so discovery and the setup URL point where the server is.
  const issuer = check(() => normalizeIssuer(e.ISSUER ?? `http://localhost:${listen?.port ?? DEFAULT_PORT}`));
  if (e.DATABASE_URL && !/^postgres(ql)?:\/\//.test(e.DATABASE_URL)) {
    problems.push("DATABASE_URL must be a postgres:// or postgresql:// URL");
  }
  if (e.AUTH_SECRET !== undefined && e.AUTH_SECRET.length < 32) {
    problems.push("AUTH_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)");
  }
  // Several instances on one PostgreSQL must share the secret, and it must
  // not live in the database (a dump would then hold everything needed to
  // forge sessions), so PostgreSQL deployments set it explicitly.
  if (e.DATABASE_URL && !e.AUTH_SECRET) {
    problems.push("AUTH_SECRET is required when DATABASE_URL is set (all instances must share it)");
  }
  if (e.TRUST_PROXY !== undefined && !["1", "true", "0", "false"].includes(e.TRUST_PROXY)) {
    problems.push("TRUST_PROXY must be 1, true, 0 or false");
  }
  if ((e.OWNER_EMAIL === undefined) !== (e.OWNER_PASSWORD === undefined)) {
    problems.push("OWNER_EMAIL and OWNER_PASSWORD must be set together");
  }
  const dcr = check(() => parseDcrConfig(env));
  const cimd = check(() => parseCimdConfig(env));
  const pendingRequests = check(() => parsePendingLimits(env));
  if (problems.length || !issuer || !listen || !dcr || !cimd || !pendingRequests) throw new ConfigError(problems.join("\n"));

  return {
    issuer,
    issuerFromPort: e.ISSUER === undefined,
    listen,
    databaseUrl: e.DATABASE_URL,
    // turbopackIgnore (here and wherever a path inside the data folder is
    // built): it is runtime state, not a build input. Traced, every database
    // write makes `next dev` recompile and reload the open page, forever.
    dataDir: path.resolve(/* turbopackIgnore: true */ cwd, e.DATA_DIR ?? ".data"),
    authSecret: e.AUTH_SECRET,
    ownerEmail: e.OWNER_EMAIL,
    ownerPassword: e.OWNER_PASSWORD,
    development: e.NODE_ENV === "development",
    secureCookies: issuer.startsWith("https://"),
    trustProxy: e.TRUST_PROXY === "1" || e.TRUST_PROXY === "true",
    dcr,
    cimd,
    pendingRequests,
  };
}

const DEFAULT_PORT = 3000;

/** PORT (default 3000) and HOSTNAME (unset: every interface), as `npm start` listens. */
export function listenAddress(port: string | undefined, hostname: string | undefined): ListenAddress {
  if (port === undefined) return { port: DEFAULT_PORT, hostname };
  const n = Number(port);
  if (!/^\d{1,5}$/.test(port) || n < 1 || n > 65535) throw new ConfigError(`PORT must be a port number from 1 to 65535, not ${port}`);
  return { port: n, hostname };
}

/** How the start-up log names the listening address (HOSTNAME unset: every interface). */
export function describeListen({ port, hostname }: ListenAddress): string {
  if (!hostname) return `port ${port} on every interface (HOSTNAME unset)`;
  return `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
}

/** One issuer spelling everywhere: an absolute http(s) URL, no query, no fragment, no trailing slash. */
export function normalizeIssuer(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`ISSUER is not a URL: ${value}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError("ISSUER must be an http(s) URL");
  }
  // `url.search` is "" for a bare "?", so look at the raw value too.
  if (url.search || url.hash || /[?#]/.test(value)) {
    throw new ConfigError("ISSUER must not have a query or fragment");
  }
  return url.href.replace(/\/+$/, "");
}

let cached: Config | undefined;

/** The process configuration, parsed on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
