import type { ApiKey, PrismaClient } from "../db/generated/client.ts";
import { hashToken, randomToken } from "../crypto/tokens";

/** Owner API keys carry a recognisable prefix so secret scanners can find leaked ones. */
export const API_KEY_PREFIX = "ca_key_";

/**
 * Creates a management-API key for an owner. The key is returned once and
 * only its SHA-256 hash is stored (plus the last four characters for display).
 */
export async function createApiKey(
  prisma: PrismaClient,
  ownerId: string,
  name: string,
): Promise<{ key: string; record: ApiKey }> {
  const key = API_KEY_PREFIX + randomToken(32);
  const record = await prisma.apiKey.create({
    data: { ownerId, name, keyHash: hashToken(key), last4: key.slice(-4) },
  });
  return { key, record };
}

/**
 * The active key record for a presented key, or null. Lookup is by hash (an
 * indexed equality on a value derived from 256 random bits), so no timing
 * side channel reveals a stored key.
 */
export async function findApiKey(prisma: PrismaClient, key: string): Promise<(ApiKey & { owner: { role: string } }) | null> {
  if (!key.startsWith(API_KEY_PREFIX)) return null;
  const record = await prisma.apiKey.findUnique({
    where: { keyHash: hashToken(key) },
    include: { owner: { select: { role: true } } },
  });
  if (!record || record.revokedAt || record.owner.role !== "owner") return null;
  return record;
}
