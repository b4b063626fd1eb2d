import path from "node:path";
import { z } from "zod";

/**
 * Runtime configuration, read from the environment once. Every variable is
 * documented in .env.example; nothing here is required on the embedded
 * default.
 */
export interface Config {
  /** Public URL of this server, no trailing slash: the OAuth/OIDC issuer. */
  issuer: string;
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
  DATABASE_URL: optional,
  DATA_DIR: optional,
  AUTH_SECRET: optional,
  OWNER_EMAIL: optional,
  OWNER_PASSWORD: optional,
  NODE_ENV: optional,
});

/** Parses configuration from an environment object; throws ConfigError with a readable message. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const e = envSchema.parse(env);

  const issuer = normalizeIssuer(e.ISSUER ?? "http://localhost:3000");

  if (e.DATABASE_URL && !/^postgres(ql)?:\/\//.test(e.DATABASE_URL)) {
    throw new ConfigError("DATABASE_URL must be a postgres:// or postgresql:// URL");
  }
  if (e.AUTH_SECRET !== undefined && e.AUTH_SECRET.length < 32) {
    throw new ConfigError("AUTH_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)");
  }
  // Several instances on one PostgreSQL must share the secret, and it must
  // not live in the database (a dump would then hold everything needed to
  // forge sessions), so PostgreSQL deployments set it explicitly.
  if (e.DATABASE_URL && !e.AUTH_SECRET) {
    throw new ConfigError("AUTH_SECRET is required when DATABASE_URL is set (all instances must share it)");
  }
  if ((e.OWNER_EMAIL === undefined) !== (e.OWNER_PASSWORD === undefined)) {
    throw new ConfigError("OWNER_EMAIL and OWNER_PASSWORD must be set together");
  }

  return {
    issuer,
    databaseUrl: e.DATABASE_URL,
    // turbopackIgnore (here and wherever a path inside the data folder is
    // built): it is runtime state, not a build input. Traced, every database
    // write makes `next dev` recompile and reload the open page, forever.
    dataDir: path.resolve(/* turbopackIgnore: true */ cwd, e.DATA_DIR ?? ".data"),
    authSecret: e.AUTH_SECRET,
    ownerEmail: e.OWNER_EMAIL,
    ownerPassword: e.OWNER_PASSWORD,
    development: e.NODE_ENV === "development",
  };
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
