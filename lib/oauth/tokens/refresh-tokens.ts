import type { Prisma, PrismaClient, TokenFamily } from "../../db/generated/client.ts";
import { hashToken, randomToken } from "../../crypto/tokens";
import { policyFor } from "../../clients/policy";
import type { ConnectedApp } from "../../db/generated/client.ts";
import { invalidGrant } from "../errors";
import { after, REFRESH_TOKEN_TTL_S } from "../lifetimes";
import { revokeFamily } from "./families";

/** Issues an opaque refresh token in a family: 256 random bits, only the hash stored. */
export async function issueRefreshToken(tx: Prisma.TransactionClient | PrismaClient, familyId: string, now: Date): Promise<string> {
  const token = randomToken(32);
  await tx.refreshToken.create({ data: { tokenHash: hashToken(token), familyId, expiresAt: after(now, REFRESH_TOKEN_TTL_S) } });
  return token;
}

/**
 * Uses a refresh token. Public apps rotate: the token is spent by a
 * conditional update, so of concurrent uses exactly one wins, and any use of
 * a spent token (a replay: one of the copies was stolen) revokes the whole
 * family. Confidential apps keep the token and its expiry slides.
 * Returns the family and, when rotated, the new refresh token.
 */
export async function redeemRefreshToken(
  prisma: PrismaClient,
  app: Pick<ConnectedApp, "id" | "clientType">,
  token: string,
  now = new Date(),
  /** Checks the request against the family before the token is used (a refused request must not spend it). */
  check: (family: TokenFamily) => void = () => {},
): Promise<{ family: TokenFamily; refreshToken: string }> {
  const record = await prisma.refreshToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { family: true } });
  if (!record || record.family.appId !== app.id) throw invalidGrant("The refresh token is invalid");
  if (record.family.revokedAt) throw invalidGrant("The refresh token has been revoked");
  if (record.expiresAt <= now) throw invalidGrant("The refresh token has expired");
  if (!record.rotatedAt) check(record.family);

  if (policyFor(app.clientType).refreshTokens === "sliding_no_rotation") {
    // One statement (updateMany would wrap it in its own transaction: three round trips).
    const slid = await prisma.$executeRaw`UPDATE "refresh_tokens" SET "expires_at" = ${after(now, REFRESH_TOKEN_TTL_S)}::timestamptz
      WHERE "id" = ${record.id}::uuid AND "expires_at" > ${now}::timestamptz`;
    if (slid !== 1) throw invalidGrant("The refresh token has expired");
    return { family: record.family, refreshToken: token };
  }

  if (record.rotatedAt) return replay(prisma, record.familyId, now);
  const next = await prisma.$transaction(async (tx) => {
    const spent = await tx.refreshToken.updateMany({ where: { id: record.id, rotatedAt: null }, data: { rotatedAt: now } });
    if (spent.count !== 1) return null;
    return issueRefreshToken(tx, record.familyId, now);
  });
  if (next === null) return replay(prisma, record.familyId, now);
  return { family: record.family, refreshToken: next };
}

async function replay(prisma: PrismaClient, familyId: string, now: Date): Promise<never> {
  await revokeFamily(prisma, familyId, now);
  throw invalidGrant("The refresh token was already used; every token of this authorization is revoked");
}
