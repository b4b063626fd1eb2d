import { createHmac } from "node:crypto";
import { loadServerSecret } from "../auth/server-secret";
import { getConfig, type Config } from "../config";

const cache = new Map<string, Buffer>();

/**
 * A key derived from the server secret for one purpose (HMAC-SHA-256 of the
 * secret over the purpose label), so a database dump alone cannot check
 * guesses against stored hashes.
 */
export function derivedKey(purpose: string, config: Config = getConfig()): Buffer {
  const secret = loadServerSecret(config);
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = cache.get(cacheKey);
  if (!key) {
    key = createHmac("sha256", secret).update(`connected-apps:${purpose}`).digest();
    cache.set(cacheKey, key);
  }
  return key;
}
