import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config";
import { randomToken } from "../crypto/tokens";

/**
 * The server secret signs and encrypts sessions (and, later, protects signing
 * keys). AUTH_SECRET wins when set — and is required with PostgreSQL so all
 * instances share it. On the embedded default it is generated once and kept
 * in DATA_DIR/server-secret (mode 0600), outside the database, so sessions
 * survive restarts and a database dump alone holds no usable secret.
 */
export function loadServerSecret(config: Config): string {
  if (config.authSecret) return config.authSecret;
  const file = path.join(/* turbopackIgnore: true */ config.dataDir, "server-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomToken(32);
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
}
