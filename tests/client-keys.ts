import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { JWT_BEARER_ASSERTION } from "@/lib/oauth/client-assertion";
import { TEST_ISSUER } from "./databases";

/** A client's key pair for private_key_jwt tests: the private key signs, `jwk` (public, with its kid) is registered. */
export interface ClientKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function newClientKey(alg: "RS256" | "ES256" | "PS256" | "EdDSA", kid = `${alg}-${randomUUID()}`): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === "EdDSA" ? { crv: "Ed25519" } : {});
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid } };
}

/** A client assertion as RFC 7523 §3 wants it, for the test issuer; `claims` and `header` override. */
export async function clientAssertion(clientId: string, key: ClientKey, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: clientId, sub: clientId, aud: TEST_ISSUER, jti: randomUUID(), iat: now, exp: now + 60, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

/** The form fields of private_key_jwt client authentication (RFC 7521 §4.2), with `extra` fields. */
export const assertionForm = (jwt: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({ client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: jwt, ...extra });
