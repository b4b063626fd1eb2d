import { createPublicKey, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import type { PrismaClient } from "../../db/generated/client.ts";
import { activeSigningKey, type SigningAlg } from "../keys/signing-keys";

/**
 * In-process caches on the token path. The active key is re-read every
 * minute, so a rotation by another instance is picked up quickly (the old
 * key stays published, so tokens it signs meanwhile still verify). Public
 * keys never change for a kid, so they are kept once loaded.
 */
const ACTIVE_TTL_MS = 60_000;
interface Caches {
  active: Map<SigningAlg, { at: number; value: Promise<{ kid: string; key: KeyObject }> }>;
  publicKeys: Map<string, KeyObject>;
}
// Per database client: one per server process, several in tests.
const caches = new WeakMap<PrismaClient, Caches>();

function cachesOf(prisma: PrismaClient): Caches {
  let c = caches.get(prisma);
  if (!c) caches.set(prisma, (c = { active: new Map(), publicKeys: new Map() }));
  return c;
}

export function signingKey(prisma: PrismaClient, alg: SigningAlg, now = Date.now()) {
  const { active } = cachesOf(prisma);
  const hit = active.get(alg);
  if (hit && now - hit.at < ACTIVE_TTL_MS) return hit.value;
  const value = activeSigningKey(prisma, alg);
  active.set(alg, { at: now, value });
  value.catch(() => active.delete(alg));
  return value;
}

/** The public key for a kid we issued (active or retired), or null. */
export async function verificationKey(prisma: PrismaClient, kid: string): Promise<KeyObject | null> {
  const { publicKeys } = cachesOf(prisma);
  const cached = publicKeys.get(kid);
  if (cached) return cached;
  const row = await prisma.signingKey.findUnique({ where: { kid }, select: { publicJwk: true } });
  const key = row ? createPublicKey({ key: row.publicJwk as JWK as import("node:crypto").JsonWebKey, format: "jwk" }) : null;
  // Unknown kids are not remembered: the key may be created by another instance a moment later.
  if (key) publicKeys.set(kid, key);
  return key;
}
