import { generateKeyPairSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seal } from "../../crypto/seal";
import type { OAuthStore, SigningKeyRecord } from "../store";
import { KEY_REFRESH_MS, keyRing } from "./key-ring";

const SEAL_KEY = randomBytes(32);

function record(kid: string, alg: "RS256" | "ES256", status: "active" | "retired" = "active"): SigningKeyRecord {
  const { publicKey, privateKey } = alg === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    kid,
    alg,
    status,
    publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg, use: "sig" },
    privateJwkSealed: seal(JSON.stringify(privateKey.export({ format: "jwk" })), SEAL_KEY, kid),
    createdAt: new Date(0),
    publishUntil: null,
  };
}

/** The two store reads the key ring makes, counted; `published` is what the store would publish now. */
function fakeStore(published: SigningKeyRecord[], all: SigningKeyRecord[] = published) {
  const reads = { published: 0, byKid: 0 };
  let failNext = false;
  const store = {
    async signingKeys() {
      reads.published++;
      if (failNext) {
        failNext = false;
        throw new Error("database unavailable");
      }
      return [...published];
    },
    async signingKey(kid: string) {
      reads.byKid++;
      return all.find((k) => k.kid === kid) ?? null;
    },
  } as unknown as OAuthStore;
  return { store, reads, publish: (keys: SigningKeyRecord[]) => void (published = keys), failOnce: () => void (failNext = true) };
}

describe("key ring", () => {
  const rs = record("rs-1", "RS256");
  const es = record("es-1", "ES256");

  it("signs with the active key of each algorithm, imported once per key", async () => {
    const { store, reads } = fakeStore([rs, es]);
    const ring = keyRing(store, SEAL_KEY, () => new Date(1_000_000));
    const first = await ring.signing("RS256");
    expect(first.kid).toBe("rs-1");
    expect(first.key.asymmetricKeyType).toBe("rsa");
    expect((await ring.signing("ES256")).key.asymmetricKeyType).toBe("ec");
    expect((await ring.signing("RS256")).key).toBe(first.key);
    expect(reads.published).toBe(1);
  });

  it("says so when no key of an algorithm is active (a retired one does not sign)", async () => {
    const { store } = fakeStore([rs, record("es-old", "ES256", "retired")]);
    await expect(keyRing(store, SEAL_KEY, () => new Date()).signing("ES256")).rejects.toThrow("no active ES256 signing key");
  });

  it("reads the store again after KEY_REFRESH_MS, on invalidate, and when the clock goes back", async () => {
    let now = 1_000_000;
    const { store, reads, publish } = fakeStore([rs, es]);
    const ring = keyRing(store, SEAL_KEY, () => new Date(now));
    await ring.signing("RS256");
    const rotated = record("rs-2", "RS256");
    publish([rotated, es, { ...rs, status: "retired" }]);
    now += KEY_REFRESH_MS - 1;
    expect((await ring.signing("RS256")).kid).toBe("rs-1");
    now += 1;
    expect((await ring.signing("RS256")).kid).toBe("rs-2");
    expect(reads.published).toBe(2);
    ring.invalidate();
    await ring.signing("RS256");
    expect(reads.published).toBe(3);
    now -= 1;
    await ring.signing("RS256");
    expect(reads.published).toBe(4);
  });

  it("does not keep a failed read: the next call reads again", async () => {
    const { store, reads, failOnce } = fakeStore([rs, es]);
    const ring = keyRing(store, SEAL_KEY, () => new Date(5_000_000));
    failOnce();
    await expect(ring.signing("RS256")).rejects.toThrow("database unavailable");
    expect((await ring.signing("RS256")).kid).toBe("rs-1");
    expect(reads.published).toBe(2);
  });

  it("publishes the public parts of the published keys, as one document per read", async () => {
    let now = 1_000_000;
    const { store, publish } = fakeStore([rs, es]);
    const ring = keyRing(store, SEAL_KEY, () => new Date(now));
    const jwks = await ring.jwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual(["rs-1", "es-1"]);
    for (const key of jwks.keys) expect(key).not.toHaveProperty("d");
    expect(await ring.jwks()).toBe(jwks);
    publish([es]);
    now += KEY_REFRESH_MS;
    expect((await ring.jwks()).keys.map((k) => k.kid)).toEqual(["es-1"]);
  });

  it("verifies with any key it issued: published, or past its publish window (looked up), never an unknown kid", async () => {
    const gone = record("rs-0", "RS256", "retired");
    const { store, reads } = fakeStore([rs, es], [rs, es, gone]);
    const ring = keyRing(store, SEAL_KEY, () => new Date(1_000_000));
    expect((await ring.verification("es-1"))?.asymmetricKeyType).toBe("ec");
    expect(reads.byKid).toBe(0);
    const old = await ring.verification("rs-0");
    expect(old?.export({ format: "jwk" })).toMatchObject({ kty: "RSA", n: (gone.publicJwk as { n: string }).n });
    // Remembered once found (a key's public part never changes).
    expect(await ring.verification("rs-0")).toBe(old);
    expect(reads.byKid).toBe(1);
    expect(await ring.verification("nobody")).toBeNull();
    expect(await ring.verification("nobody")).toBeNull();
    expect(reads.byKid).toBe(3);
  });
});
