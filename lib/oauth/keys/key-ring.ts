import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { unseal } from "../../crypto/seal";
import type { OAuthStore, SigningKeyRecord } from "../store";
import type { SigningAlg } from "./algorithms";

/**
 * The signing keys of one process, read from the store at most every
 * REFRESH_MS: the active key per algorithm (its private key decrypted and
 * imported once per key, not per token), the public keys by kid, and the
 * JWKS document. A rotation by any instance is picked up within REFRESH_MS;
 * meanwhile the old key still signs, and stays published, so its tokens
 * verify everywhere.
 */
export interface KeyRing {
  signing(alg: SigningAlg): Promise<{ kid: string; key: KeyObject }>;
  /** The public key of a kid this server issued (active or retired), or null. */
  verification(kid: string): Promise<KeyObject | null>;
  /** The JWKS document: active keys and retired ones still within their publish window. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** Forget what was read (a rotation in this process). */
  invalidate(): void;
}

export const KEY_REFRESH_MS = 10_000;

interface Snapshot {
  at: number;
  keys: Promise<SigningKeyRecord[]>;
}

export function keyRing(store: OAuthStore, unsealKey: Buffer, clock: () => Date): KeyRing {
  let snapshot: Snapshot | undefined;
  // Imported keys never change for a kid: kept across snapshots.
  const privateKeys = new Map<string, KeyObject>();
  const publicKeys = new Map<string, KeyObject>();
  let jwks: { of: Promise<SigningKeyRecord[]>; value: { keys: JWK[] } } | undefined;

  function current(): Promise<SigningKeyRecord[]> {
    const now = clock();
    if (!snapshot || now.getTime() - snapshot.at >= KEY_REFRESH_MS || now.getTime() < snapshot.at) {
      const keys = store.signingKeys(now);
      const taken: Snapshot = { at: now.getTime(), keys };
      snapshot = taken;
      keys.catch(() => {
        if (snapshot === taken) snapshot = undefined;
      });
    }
    return snapshot.keys;
  }

  function publicKeyOf(record: SigningKeyRecord): KeyObject {
    let key = publicKeys.get(record.kid);
    if (!key) publicKeys.set(record.kid, (key = createPublicKey({ key: record.publicJwk as JsonWebKey, format: "jwk" })));
    return key;
  }

  return {
    async signing(alg) {
      const active = (await current()).find((k) => k.alg === alg && k.status === "active");
      if (!active) throw new Error(`no active ${alg} signing key (the server creates them at start-up)`);
      let key = privateKeys.get(active.kid);
      if (!key) {
        const jwk = JSON.parse(unseal(active.privateJwkSealed, unsealKey, active.kid)) as JsonWebKey;
        privateKeys.set(active.kid, (key = createPrivateKey({ key: jwk, format: "jwk" })));
      }
      return { kid: active.kid, key };
    },

    async verification(kid) {
      const cached = publicKeys.get(kid);
      if (cached) return cached;
      const published = (await current()).find((k) => k.kid === kid);
      // A key past its publish window still verifies what it signed; unknown kids are not remembered
      // (another instance may create the key a moment later).
      const record = published ?? (await store.signingKey(kid));
      return record ? publicKeyOf(record) : null;
    },

    async jwks() {
      const keys = current();
      if (jwks?.of !== keys) jwks = { of: keys, value: { keys: (await keys).map((k) => k.publicJwk as JWK) } };
      return jwks.value;
    },

    invalidate() {
      snapshot = undefined;
    },
  };
}
