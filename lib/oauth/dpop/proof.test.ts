import { createHash } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ath, dpopProof, newDpopKey, type DpopKey } from "@/tests/dpop";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { OAuthError } from "../oauth-error";
import { currentNonce, NONCE_MAX_AGE_S, NONCE_STEP_S } from "./nonce";
import { IAT_WINDOW_S, PROOF_RETENTION_S, spendProof, verifyProof, type ProofExpectation } from "./proof";

const HTU = "https://id.example.com/oauth2/token";
const ctx = { keyFor: (purpose: string) => createHash("sha256").update(`test:${purpose}`).digest() };
const expectation: ProofExpectation = { htm: "POST", htu: HTU, nonceRequired: false };

/** `code: description` of a refusal, or "ok" with the jkt. */
function verdict(proof: string, expect: Partial<ProofExpectation> = {}, now = new Date(), context = ctx): string {
  try {
    return `ok ${verifyProof(context, proof, { ...expectation, ...expect }, now).jkt}`;
  } catch (e) {
    if (e instanceof OAuthError) return `${e.code}: ${e.description}`;
    throw e;
  }
}

/** The DPoP-Nonce a refusal carries. */
function nonceOf(proof: string, expect: Partial<ProofExpectation> = {}, now = new Date()): string | undefined {
  try {
    verifyProof(ctx, proof, { ...expectation, ...expect }, now);
  } catch (e) {
    if (e instanceof OAuthError) return e.options.dpopNonce;
  }
  return undefined;
}

describe("DPoP proofs (RFC 9449 §4.3)", () => {
  let key: DpopKey;
  beforeAll(async () => {
    key = await newDpopKey("ES256");
  });

  it.each(["ES256", "RS256", "PS256", "EdDSA"] as const)("accepts a proof signed with %s and names its key's thumbprint", async (alg) => {
    const k = await newDpopKey(alg);
    expect(verdict(await dpopProof(k, "POST", HTU))).toBe(`ok ${k.jkt}`);
  });

  it("accepts Ed25519, the fully specified name of EdDSA with an Ed25519 key (RFC 9864)", async () => {
    const k = await newDpopKey("EdDSA");
    expect(verdict(await dpopProof(k, "POST", HTU, {}, { alg: "Ed25519" }))).toBe(`ok ${k.jkt}`);
    expect(verdict(await dpopProof(k, "POST", HTU, {}, { alg: "Ed25519", jwk: { ...k.jwk, alg: "EdDSA" } }))).toBe(`ok ${k.jkt}`);
  });

  it("refuses several DPoP headers, joined as one value", async () => {
    const proof = await dpopProof(key, "POST", HTU);
    expect(verdict(`${proof}, ${proof}`)).toBe("invalid_dpop_proof: Send exactly one DPoP header");
  });

  it("refuses what is not a compact JWS", () => {
    expect(verdict("not-a-jwt")).toBe("invalid_dpop_proof: The DPoP proof is not a compact JWS");
    expect(verdict("a.b")).toBe("invalid_dpop_proof: The DPoP proof is not a compact JWS");
  });

  it("refuses another typ, or none", async () => {
    expect(verdict(await dpopProof(key, "POST", HTU, {}, { typ: "JWT" }))).toBe("invalid_dpop_proof: The DPoP proof's typ must be dpop+jwt");
    expect(verdict(await dpopProof(key, "POST", HTU, {}, { typ: undefined }))).toBe("invalid_dpop_proof: The DPoP proof's typ must be dpop+jwt");
  });

  it("refuses a symmetric algorithm (HS256), even with a public jwk", async () => {
    const proof = await new SignJWT({ jti: "hs", htm: "POST", htu: HTU, iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk: key.jwk })
      .sign(new Uint8Array(32));
    expect(verdict(proof)).toBe("invalid_dpop_proof: The DPoP proof's alg must be one of RS256, PS256, ES256, EdDSA, Ed25519");
  });

  it("refuses a jwk holding the private key", async () => {
    const privateJwk = await exportJWK(key.privateKey);
    expect(verdict(await dpopProof(key, "POST", HTU, {}, { jwk: privateJwk }))).toBe(
      `invalid_dpop_proof: The DPoP proof's jwk is a private key (it has "d"): register only its public part`,
    );
  });

  it("refuses a symmetric jwk, no jwk, and a jwk of another type than the alg", async () => {
    expect(verdict(await dpopProof(key, "POST", HTU, {}, { jwk: { kty: "oct", k: "c2VjcmV0" } }))).toMatch(/^invalid_dpop_proof: The DPoP proof's jwk is a symmetric key/);
    expect(verdict(await dpopProof(key, "POST", HTU, {}, { jwk: undefined }))).toBe("invalid_dpop_proof: The DPoP proof's jwk must be a JSON object (a JWK)");
    const rsa = await newDpopKey("RS256");
    expect(verdict(await dpopProof(key, "POST", HTU, {}, { jwk: rsa.jwk }))).toBe("invalid_dpop_proof: The DPoP proof's jwk is not a key for ES256");
  });

  it("refuses a crit header", async () => {
    expect(verdict(await dpopProof(key, "POST", HTU, {}, { crit: ["b64"], b64: true }))).toBe(
      "invalid_dpop_proof: The DPoP proof has a crit header this server does not understand",
    );
  });

  it("refuses a signature by another key than its jwk", async () => {
    const other = await newDpopKey("ES256");
    expect(verdict(await dpopProof(other, "POST", HTU, {}, { jwk: key.jwk }))).toBe("invalid_dpop_proof: The DPoP proof's signature does not verify with its jwk");
  });

  it("refuses a missing, empty or overlong jti", async () => {
    const message = "invalid_dpop_proof: The DPoP proof needs a jti of 1 to 256 characters";
    expect(verdict(await dpopProof(key, "POST", HTU, { jti: undefined }))).toBe(message);
    expect(verdict(await dpopProof(key, "POST", HTU, { jti: "" }))).toBe(message);
    expect(verdict(await dpopProof(key, "POST", HTU, { jti: "j".repeat(257) }))).toBe(message);
    expect(verdict(await dpopProof(key, "POST", HTU, { jti: "j".repeat(256) }))).toBe(`ok ${key.jkt}`);
  });

  it("refuses another htm", async () => {
    expect(verdict(await dpopProof(key, "GET", HTU))).toBe("invalid_dpop_proof: The DPoP proof's htm must be POST");
    expect(verdict(await dpopProof(key, "post", HTU))).toBe("invalid_dpop_proof: The DPoP proof's htm must be POST");
  });

  it("compares htu without query and fragment, after URL normalisation, and refuses another URL", async () => {
    expect(verdict(await dpopProof(key, "POST", `${HTU}?a=1#f`))).toBe(`ok ${key.jkt}`);
    expect(verdict(await dpopProof(key, "POST", "HTTPS://ID.example.com:443/oauth2/token"))).toBe(`ok ${key.jkt}`);
    const refusal = `invalid_dpop_proof: The DPoP proof's htu must be ${HTU}`;
    expect(verdict(await dpopProof(key, "POST", "https://id.example.com/oauth2/userinfo"))).toBe(refusal);
    expect(verdict(await dpopProof(key, "POST", "https://other.example.com/oauth2/token"))).toBe(refusal);
    expect(verdict(await dpopProof(key, "POST", "http://id.example.com/oauth2/token"))).toBe(refusal);
    expect(verdict(await dpopProof(key, "POST", "not a url"))).toBe(refusal);
    expect(verdict(await dpopProof(key, "POST", HTU, { htu: undefined }))).toBe(refusal);
  });

  it("checks ath against the access token at a resource endpoint", async () => {
    const refusal = "invalid_dpop_proof: The DPoP proof's ath does not match the access token";
    expect(verdict(await dpopProof(key, "POST", HTU, { ath: ath("the-token") }), { accessToken: "the-token" })).toBe(`ok ${key.jkt}`);
    expect(verdict(await dpopProof(key, "POST", HTU, { ath: ath("another-token") }), { accessToken: "the-token" })).toBe(refusal);
    expect(verdict(await dpopProof(key, "POST", HTU), { accessToken: "the-token" })).toBe(refusal);
  });

  it(`accepts an iat up to ${IAT_WINDOW_S} s either way without a nonce; further off, use_dpop_nonce hands one out`, async () => {
    const now = new Date();
    const at = Math.floor(now.getTime() / 1000);
    expect(verdict(await dpopProof(key, "POST", HTU, { iat: at - IAT_WINDOW_S }), {}, now)).toBe(`ok ${key.jkt}`);
    expect(verdict(await dpopProof(key, "POST", HTU, { iat: at + IAT_WINDOW_S }), {}, now)).toBe(`ok ${key.jkt}`);
    const stale = await dpopProof(key, "POST", HTU, { iat: at - IAT_WINDOW_S - 1 });
    expect(verdict(stale, {}, now)).toMatch(/^use_dpop_nonce: The DPoP proof's iat is more than 60 s/);
    expect(nonceOf(stale, {}, now)).toBe(currentNonce(ctx, now));
    expect(verdict(await dpopProof(key, "POST", HTU, { iat: at + IAT_WINDOW_S + 1 }), {}, now)).toMatch(/^use_dpop_nonce:/);
    expect(verdict(await dpopProof(key, "POST", HTU, { iat: undefined }), {}, now)).toBe("invalid_dpop_proof: The DPoP proof needs a numeric iat");
    expect(verdict(await dpopProof(key, "POST", HTU, { iat: String(at) }), {}, now)).toBe("invalid_dpop_proof: The DPoP proof needs a numeric iat");
  });

  it("nonce round trip: a required nonce is handed out, then accepted whatever the iat", async () => {
    const now = new Date();
    const first = await dpopProof(key, "POST", HTU);
    expect(verdict(first, { nonceRequired: true }, now)).toBe("use_dpop_nonce: The DPoP proof must carry this server's nonce");
    const nonce = nonceOf(first, { nonceRequired: true }, now)!;
    expect(nonce).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    // A client whose clock is ten minutes slow still gets through with the nonce.
    const withNonce = await dpopProof(key, "POST", HTU, { nonce, iat: Math.floor(now.getTime() / 1000) - 600 });
    expect(verdict(withNonce, { nonceRequired: true }, now)).toBe(`ok ${key.jkt}`);
  });

  it(`accepts a nonce for ${NONCE_MAX_AGE_S} s after its minute, and never another server's`, async () => {
    const issued = new Date(Math.floor(Date.now() / 1000 / NONCE_STEP_S) * NONCE_STEP_S * 1000);
    const nonce = currentNonce(ctx, issued);
    const proof = await dpopProof(key, "POST", HTU, { nonce });
    const at = (seconds: number) => new Date(issued.getTime() + seconds * 1000);
    expect(verdict(proof, { nonceRequired: true }, at(NONCE_MAX_AGE_S + NONCE_STEP_S - 1))).toBe(`ok ${key.jkt}`);
    expect(verdict(proof, { nonceRequired: true }, at(NONCE_MAX_AGE_S + NONCE_STEP_S))).toBe("use_dpop_nonce: The DPoP proof's nonce is unknown or has expired");
    // An instance whose clock is a step behind the issuer's.
    expect(verdict(proof, { nonceRequired: true }, at(-NONCE_STEP_S))).toBe(`ok ${key.jkt}`);
    expect(verdict(proof, { nonceRequired: true }, at(-NONCE_STEP_S - 1))).toBe("use_dpop_nonce: The DPoP proof's nonce is unknown or has expired");
    const elsewhere = { keyFor: (purpose: string) => createHash("sha256").update(`elsewhere:${purpose}`).digest() };
    expect(verdict(proof, { nonceRequired: true }, issued, elsewhere)).toMatch(/^use_dpop_nonce:/);
    expect(verdict(await dpopProof(key, "POST", HTU, { nonce: "made-up" }), {}, issued)).toMatch(/^use_dpop_nonce:/);
    expect(verdict(await dpopProof(key, "POST", HTU, { nonce: 7 }), {}, issued)).toBe("invalid_dpop_proof: The DPoP proof's nonce must be a string");
  });

  it("checks freshness last: a proof wrong otherwise is invalid, not sent for a nonce", async () => {
    expect(verdict(await dpopProof(key, "GET", HTU, { iat: 1 }), { nonceRequired: true })).toBe("invalid_dpop_proof: The DPoP proof's htm must be POST");
  });

  it("refuses an overlong proof", async () => {
    const proof = await dpopProof(key, "POST", HTU, { pad: "x".repeat(9000) });
    expect(verdict(proof)).toBe("invalid_dpop_proof: The DPoP proof is too long");
  });

  it("verifies a proof made by a WebCrypto key pair as well (jose's generateKeyPair, not extractable)", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jwk = await exportJWK(publicKey);
    const proof = await new SignJWT({ jti: "webcrypto", htm: "POST", htu: HTU, iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
      .sign(privateKey);
    expect(verdict(proof)).toMatch(/^ok [A-Za-z0-9_-]{43}$/);
  });
});

// Several server instances on one PostgreSQL: the jti is spent in the database, so a replay fails on any of them.
describe.each(testDatabases)("DPoP proof replay on $name", ({ name, target }) => {
  let instances: TestDatabase[] = [];
  beforeAll(async () => {
    const t = await target();
    const first = await openTestDatabase(t);
    const second = name === "postgres" ? [await openTestDatabase({ ...t, drop: async () => {} })] : [];
    instances = [...second, first];
  });
  afterAll(async () => {
    for (const db of instances) await db.dispose();
  });

  it("a proof is accepted once; its replay is refused on every instance, concurrent or not", async () => {
    const key = await newDpopKey();
    const now = new Date();
    const proof = verifyProof(instances[0]!.oauth, await dpopProof(key, "POST", HTU), expectation, now);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => spendProof(instances[i % instances.length]!.oauth, proof, now)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect(((r as PromiseRejectedResult).reason as OAuthError).description).toBe("This DPoP proof was used before (a replay): make a new one for each request");
    }
    await expect(spendProof(instances.at(-1)!.oauth, proof, now)).rejects.toMatchObject({ code: "invalid_dpop_proof" });
  });

  it("the same jti under another key is another proof", async () => {
    const now = new Date();
    const [a, b] = [await newDpopKey(), await newDpopKey()];
    const first = verifyProof(instances[0]!.oauth, await dpopProof(a, "POST", HTU, { jti: "shared-jti" }), expectation, now);
    const second = verifyProof(instances[0]!.oauth, await dpopProof(b, "POST", HTU, { jti: "shared-jti" }), expectation, now);
    await spendProof(instances[0]!.oauth, first, now);
    await expect(spendProof(instances.at(-1)!.oauth, second, now)).resolves.toBeUndefined();
  });

  it(`a spent jti is kept ${PROOF_RETENTION_S} s, then housekeeping purges it`, async () => {
    const db = instances.at(-1)!;
    const now = new Date();
    const proof = verifyProof(db.oauth, await dpopProof(await newDpopKey(), "POST", HTU), expectation, now);
    await spendProof(db.oauth, proof, now);
    const purgeAt = (ms: number) => db.oauth.store.purgeExpired({ now: new Date(now.getTime() + ms), codesBefore: now, refreshBefore: now, exchangesBefore: now, activityBefore: now }, 1000);
    await purgeAt(PROOF_RETENTION_S * 1000 - 1);
    await expect(spendProof(db.oauth, proof, now)).rejects.toMatchObject({ code: "invalid_dpop_proof" });
    const purged = await purgeAt(PROOF_RETENTION_S * 1000 + 1);
    expect(purged.dpop_proofs).toBe(1);
    await expect(spendProof(db.oauth, proof, now)).resolves.toBeUndefined();
  });
});
