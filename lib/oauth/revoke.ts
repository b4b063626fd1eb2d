import type { PrismaClient } from "../db/generated/client.ts";
import { authenticateClient, readClientCredentials } from "./client-auth";
import { invalidRequest } from "./errors";
import { readParams } from "./params";
import { lookUpToken } from "./token-lookup";
import { revokeFamily } from "./tokens/families";

/**
 * RFC 7009: the client revokes one of its own tokens. A refresh token ends
 * its whole family (its access tokens introspect as inactive); an access
 * token is revoked alone. Unknown tokens and other clients' tokens get the
 * same 200 as success (§2.2), so the endpoint reveals nothing.
 */
export async function revokeToken(
  prisma: PrismaClient,
  issuer: string,
  request: { authorization: string | null; form: URLSearchParams },
  now = new Date(),
): Promise<void> {
  const params = readParams(request.form);
  const app = await authenticateClient(prisma, readClientCredentials(request.authorization, request.form));
  const token = params.get("token");
  if (!token) throw invalidRequest("token is required");
  const found = await lookUpToken(prisma, issuer, token, now);
  if (!found || found.clientId !== app.clientId) return;
  if (found.kind === "refresh_token") {
    await revokeFamily(prisma, found.familyId, now);
    return;
  }
  await prisma.revokedAccessToken.createMany({
    data: [{ jti: found.jti, expiresAt: new Date(found.exp * 1000) }],
    skipDuplicates: true,
  });
}
