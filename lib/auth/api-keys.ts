import { z } from "zod";
import { recordAudit, type Actor } from "../audit";
import type { ApiKey, PrismaClient } from "../db/generated/client.ts";
import { hashToken, randomToken } from "../crypto/tokens";

/** Owner API keys carry a recognisable prefix so secret scanners can find leaked ones. */
export const API_KEY_PREFIX = "ca_key_";

export const apiKeyNameSchema = z
  .string()
  .trim()
  .min(1, { error: "API key name is required" })
  .max(100, { error: "API key name must be at most 100 characters" });

const SYSTEM: Actor = { type: "system", id: null, label: "admin CLI" };

/**
 * Creates a management-API key for an owner. The key is returned once and
 * only its SHA-256 hash is stored (plus the last four characters for display).
 */
export async function createApiKey(
  prisma: PrismaClient,
  ownerId: string,
  name: string,
  actor: Actor = SYSTEM,
): Promise<{ key: string; record: ApiKey }> {
  name = apiKeyNameSchema.parse(name);
  const key = API_KEY_PREFIX + randomToken(32);
  const record = await prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: { ownerId, name, keyHash: hashToken(key), last4: key.slice(-4) },
    });
    await recordAudit(tx, actor, "api_key.created", created.id, { name, last4: created.last4 });
    return created;
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

/** How an API key appears as an actor in the audit log. */
export function apiKeyActor(key: Pick<ApiKey, "id" | "name" | "last4">): Actor {
  return { type: "api_key", id: key.id, label: `API key "${key.name}" (…${key.last4})` };
}

/**
 * Authenticates one management-API request with a presented key: returns the
 * actor, records the use (audit log, last-used time), or null if the key is
 * unknown, revoked or its owner is no longer an owner.
 */
export async function authenticateApiKey(
  prisma: PrismaClient,
  key: string,
  request: { method: string; path: string },
): Promise<Actor | null> {
  const record = await findApiKey(prisma, key);
  if (!record) return null;
  const actor = apiKeyActor(record);
  await prisma.$transaction([
    prisma.apiKey.update({ where: { id: record.id }, data: { lastUsedAt: new Date() } }),
    prisma.auditEvent.create({
      data: {
        actorType: actor.type,
        actorId: actor.id,
        actorLabel: actor.label,
        action: "api_key.used",
        targetId: record.id,
        details: { method: request.method, path: request.path },
      },
    }),
  ]);
  return actor;
}

/** An owner's keys, newest first (revoked ones included, marked). */
export function listApiKeys(prisma: PrismaClient, ownerId: string) {
  return prisma.apiKey.findMany({
    where: { ownerId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, last4: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** Revokes one of the owner's keys; false if there is no such active key. */
export async function revokeApiKey(prisma: PrismaClient, actor: Actor, ownerId: string, id: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const revoked = await tx.apiKey.updateMany({ where: { id, ownerId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (revoked.count === 1) await recordAudit(tx, actor, "api_key.revoked", id);
    return revoked.count === 1;
  });
}
