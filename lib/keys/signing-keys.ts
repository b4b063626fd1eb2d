import { generateKeyPairSync, type JsonWebKey } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";
import { recordAudit, type Actor } from "../audit";
import { derivedKey } from "../crypto/pepper";
import { seal } from "../crypto/seal";
import type { Prisma, PrismaClient } from "../db/generated/client.ts";
import { announceLocalChange } from "../db/local-changes";
import { SEAL_PURPOSE, SIGNING_ALGS, type SigningAlg } from "../oauth/keys/algorithms";

/**
 * How long a retired key stays in JWKS: the longest a token it signed can
 * live (access tokens are capped at 24 hours per app) plus clock skew.
 */
export const RETIRED_KEY_PUBLISH_MS = (24 * 60 * 60 + 5 * 60) * 1000;

// Serialises key creation and rotation across instances sharing one database.
const LOCK = "SELECT pg_advisory_xact_lock(hashtext('connected-apps.signing-keys'))";

function generate(alg: SigningAlg): { publicJwk: JsonWebKey; privateJwk: JsonWebKey } {
  const { publicKey, privateKey } =
    alg === "RS256"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { publicJwk: publicKey.export({ format: "jwk" }), privateJwk: privateKey.export({ format: "jwk" }) };
}

async function insertKey(tx: Prisma.TransactionClient, alg: SigningAlg) {
  const { publicJwk, privateJwk } = generate(alg);
  const kid = await calculateJwkThumbprint(publicJwk as JWK);
  const published = { ...publicJwk, kid, alg, use: "sig" };
  await tx.signingKey.create({
    data: {
      kid,
      alg,
      publicJwk: published,
      privateJwkEncrypted: seal(JSON.stringify(privateJwk), derivedKey(SEAL_PURPOSE), kid),
    },
  });
  return kid;
}

/** Makes sure one active key exists per algorithm (first start); safe when several instances start at once. */
export async function ensureSigningKeys(prisma: PrismaClient): Promise<void> {
  const active = await prisma.signingKey.findMany({ where: { status: "active" }, select: { alg: true } });
  if (SIGNING_ALGS.every((alg) => active.some((k) => k.alg === alg))) return;
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(LOCK);
    for (const alg of SIGNING_ALGS) {
      if (!(await tx.signingKey.count({ where: { alg, status: "active" } }))) await insertKey(tx, alg);
    }
  });
  announceLocalChange("keys");
}

/**
 * Rotates every algorithm's key: new keys sign from now on; the old ones are
 * retired but stay published until tokens they signed have expired.
 * Returns the new key ids.
 */
export async function rotateSigningKeys(prisma: PrismaClient, actor: Actor, now = new Date()): Promise<string[]> {
  const kids = await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(LOCK);
    await tx.signingKey.updateMany({
      where: { status: "active" },
      data: { status: "retired", retiredAt: now, publishUntil: new Date(now.getTime() + RETIRED_KEY_PUBLISH_MS) },
    });
    const kids: string[] = [];
    for (const alg of SIGNING_ALGS) kids.push(await insertKey(tx, alg));
    await recordAudit(tx, actor, "signing_keys.rotated", null, { new_kids: kids });
    return kids;
  });
  announceLocalChange("keys");
  return kids;
}
