import { createHash, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { ensureSigningKeys } from "@/lib/keys/signing-keys";
import type { AuthSession } from "@/lib/oauth/authorize/flow";
import { openTestDatabase, type TestDatabase, type TestTarget } from "./databases";
import { signedInUser } from "./oauth-client";

/** A DPoP key pair for tests: the private key signs proofs, `jwk` (public) travels in their header. */
export interface DpopKey {
  alg: "ES256" | "RS256" | "PS256" | "EdDSA";
  privateKey: CryptoKey;
  jwk: JWK;
  /** RFC 7638 thumbprint of the public key. */
  jkt: string;
}

export async function newDpopKey(alg: DpopKey["alg"] = "ES256"): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
  const jwk = await exportJWK(publicKey);
  const members = jwk.kty === "RSA" ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : jwk.kty === "EC" ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return { alg, privateKey, jwk, jkt: createHash("sha256").update(JSON.stringify(members)).digest("base64url") };
}

/** A proof for `htm` `htu` as RFC 9449 §4.2 wants it; `claims` and `header` override (undefined removes). */
export async function dpopProof(
  key: DpopKey,
  htm: string,
  htu: string,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload = Object.fromEntries(
    Object.entries({ jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000), ...claims }).filter(([, v]) => v !== undefined),
  );
  const protectedHeader = Object.fromEntries(Object.entries({ alg: key.alg, typ: "dpop+jwt", jwk: key.jwk, ...header }).filter(([, v]) => v !== undefined));
  return new SignJWT(payload).setProtectedHeader(protectedHeader as { alg: string }).sign(key.privateKey);
}

/** `ath` of an access token (RFC 9449 §4.2). */
export const ath = (token: string) => createHash("sha256").update(token).digest("base64url");

/** A test database with signing keys, a signed-in user, and two DPoP keys of different types. */
export async function dpopFixture(target: () => Promise<TestTarget>): Promise<{ db: TestDatabase; session: AuthSession; key: DpopKey; otherKey: DpopKey }> {
  const db = await openTestDatabase(await target());
  await ensureSigningKeys(db.prisma);
  return { db, session: await signedInUser(db.prisma), key: await newDpopKey("ES256"), otherKey: await newDpopKey("EdDSA") };
}
