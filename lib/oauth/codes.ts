import type { ConnectedApp, Prisma, PrismaClient } from "../db/generated/client.ts";
import { hashToken, randomToken } from "../crypto/tokens";
import type { AuthorizationParams } from "./authorize/request";
import { invalidGrant } from "./errors";
import { after, CODE_TTL_S } from "./lifetimes";
import { verifyCodeVerifier } from "./pkce";
import { revokeFamily } from "./tokens/families";

/** Issues an authorization code: 256 random bits, only the hash stored, 60 s, single use. */
export async function issueAuthorizationCode(
  db: Prisma.TransactionClient | PrismaClient,
  app: Pick<ConnectedApp, "id">,
  userId: string,
  params: AuthorizationParams,
  authTime: Date,
  now = new Date(),
): Promise<string> {
  const code = randomToken(32);
  await db.authorizationCode.create({
    data: {
      codeHash: hashToken(code),
      appId: app.id,
      userId,
      redirectUri: params.redirectUri,
      redirectUriSent: params.redirectUriSent,
      scopes: params.scopes,
      resources: params.resources,
      nonce: params.nonce ?? null,
      codeChallenge: params.codeChallenge ?? null,
      authTime,
      expiresAt: after(now, CODE_TTL_S),
    },
  });
  return code;
}

export interface RedeemedCode {
  userId: string;
  scopes: string[];
  resources: string[];
  nonce: string | null;
  authTime: Date;
  familyId: string;
}

/**
 * Checks a presented code and redeems it, starting its token family in the
 * same transaction (`start`). Single use is enforced by a conditional update
 * in the database, so of any number of concurrent redemptions exactly one
 * succeeds; a later use revokes every token the code issued (RFC 6749 §4.1.2).
 */
export async function redeemAuthorizationCode<T>(
  prisma: PrismaClient,
  input: { code: string; clientAppId: string; redirectUri: string | undefined; codeVerifier: string | undefined },
  start: (tx: Prisma.TransactionClient, code: RedeemedCode) => Promise<T>,
  now = new Date(),
): Promise<T> {
  const record = await prisma.authorizationCode.findUnique({ where: { codeHash: hashToken(input.code) } });
  // A code issued to another client is refused without consuming it.
  if (!record || record.appId !== input.clientAppId) throw invalidGrant("The authorization code is invalid");
  if (record.redeemedAt) {
    if (record.familyId) await revokeFamily(prisma, record.familyId, now);
    throw invalidGrant("The authorization code has already been used; tokens issued with it are revoked");
  }
  if (record.expiresAt <= now) throw invalidGrant("The authorization code has expired");
  if (record.redirectUriSent ? input.redirectUri !== record.redirectUri : input.redirectUri !== undefined && input.redirectUri !== record.redirectUri) {
    throw invalidGrant("redirect_uri does not match the authorization request");
  }
  verifyCodeVerifier(input.codeVerifier, record.codeChallenge);

  try {
    return await prisma.$transaction(async (tx) => {
      const family = await tx.tokenFamily.create({
        data: { appId: record.appId, userId: record.userId, scopes: record.scopes, resources: record.resources, authTime: record.authTime },
        select: { id: true },
      });
      const won = await tx.authorizationCode.updateMany({
        where: { id: record.id, redeemedAt: null },
        data: { redeemedAt: now, familyId: family.id },
      });
      if (won.count !== 1) throw new LostRedemption();
      return start(tx, { ...record, familyId: family.id });
    });
  } catch (e) {
    if (!(e instanceof LostRedemption)) throw e;
    // Another request redeemed it first (its transaction has committed): this one is a second use.
    const winner = await prisma.authorizationCode.findUnique({ where: { id: record.id }, select: { familyId: true } });
    if (winner?.familyId) await revokeFamily(prisma, winner.familyId, now);
    throw invalidGrant("The authorization code has already been used; tokens issued with it are revoked");
  }
}

class LostRedemption extends Error {}
