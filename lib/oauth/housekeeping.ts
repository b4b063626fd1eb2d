import type { PrismaClient } from "../db/generated/client.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest an access token can live (per-app lifetimes are capped at 24 hours). */
const MAX_ACCESS_TOKEN_MS = DAY_MS;

/**
 * Deletes protocol rows nothing can use any more. Redeemed or expired codes
 * are kept a day so a late second use is still recognised (and revokes
 * what the code issued); a token family is kept while a refresh token of it
 * is unexpired or an access token of it may still be alive. Safe to run on
 * every instance at once: each statement is an idempotent delete.
 */
export async function purgeExpired(prisma: PrismaClient, now = new Date()): Promise<Record<string, number>> {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const requests = await prisma.authorizationRequest.deleteMany({ where: { expiresAt: { lt: now } } });
  const codes = await prisma.authorizationCode.deleteMany({ where: { expiresAt: { lt: dayAgo } } });
  const revoked = await prisma.revokedAccessToken.deleteMany({ where: { expiresAt: { lt: now } } });
  const refresh = await prisma.refreshToken.deleteMany({ where: { expiresAt: { lt: now } } });
  const families = await prisma.tokenFamily.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - MAX_ACCESS_TOKEN_MS) }, refreshTokens: { none: {} } },
  });
  return {
    authorization_requests: requests.count,
    authorization_codes: codes.count,
    revoked_access_tokens: revoked.count,
    refresh_tokens: refresh.count,
    token_families: families.count,
  };
}

const PURGE_EVERY_MS = 15 * 60 * 1000;

/** Runs purgeExpired periodically in the server process (not keeping it alive). */
export function schedulePurge(prisma: PrismaClient): void {
  const run = () => purgeExpired(prisma).catch((e) => console.error("connected-apps: purging expired rows failed:", (e as Error).message));
  setInterval(run, PURGE_EVERY_MS).unref();
}
