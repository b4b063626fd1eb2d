import { generateKeyPairSync } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, TEST_ISSUER, type TestDatabase } from "@/tests/databases";
import { activeSigningKey } from "@/tests/jwks";
import { ensureSigningKeys } from "../../keys/signing-keys";
import { readIdTokenHint } from "./id-token-hint";

/**
 * Each row is one way a token can (not) be an ID token of this issuer; the
 * logout endpoint trusts a hint only as far as this says.
 */
describe.each(testDatabases)("id_token_hint on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const CLAIMS = { iss: TEST_ISSUER, sub: "user-1", aud: "ca_app" };
  /** Signed with this server's active key of `alg`, with the header and claims given (expired: hints may be). */
  async function ours(claims: JWTPayload = CLAIMS, header: Record<string, unknown> = { typ: "JWT" }, alg: "RS256" | "ES256" = "RS256") {
    const { kid, key } = await activeSigningKey(db, alg);
    return new SignJWT(claims).setProtectedHeader({ alg, kid, ...header }).setIssuedAt(1).setExpirationTime(2).sign(key);
  }
  const read = (token: string) => readIdTokenHint(db.oauth, token);

  it.each(["RS256", "ES256"] as const)("trusts an ID token signed with our %s key, even expired", async (alg) => {
    expect(await read(await ours(CLAIMS, { typ: "JWT" }, alg))).toEqual({ verified: true, subject: "user-1", clientId: "ca_app" });
  });

  it("takes a token without typ (older ID tokens), but not one typed as an access token", async () => {
    expect(await read(await ours(CLAIMS, {}))).toMatchObject({ verified: true });
    expect(await read(await ours(CLAIMS, { typ: "at+jwt" }))).toBeNull();
  });

  it.each([
    ["azp among several audiences", { ...CLAIMS, aud: ["ca_app", "https://api.example"], azp: "ca_app" }, "ca_app"],
    ["azp alone", { ...CLAIMS, azp: "ca_app" }, "ca_app"],
    ["azp not an audience", { ...CLAIMS, azp: "ca_other" }, null],
    ["several audiences, no azp", { ...CLAIMS, aud: ["ca_app", "ca_other"] }, null],
    ["azp that is not a string", { ...CLAIMS, azp: 7 }, "ca_app"],
    ["no audience", { iss: TEST_ISSUER, sub: "user-1" }, null],
  ] as const)("names the app from the audience: %s", async (_, claims, clientId) => {
    const hint = await read(await ours(claims as JWTPayload));
    expect(hint && hint.clientId).toBe(clientId);
  });

  it.each([
    ["another issuer", { ...CLAIMS, iss: "https://elsewhere.example" }],
    ["no subject", { iss: TEST_ISSUER, aud: "ca_app" }],
    ["a subject that is not a string", { ...CLAIMS, sub: 42 }],
  ] as const)("refuses %s", async (_, claims) => {
    expect(await read(await ours(claims as unknown as JWTPayload))).toBeNull();
  });

  it("reads an HS256 ID token (signed with a client secret the server cannot check) without trusting it", async () => {
    const hs = (claims: JWTPayload) => new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(new TextEncoder().encode("a client secret of 32 bytes or more!"));
    expect(await read(await hs(CLAIMS))).toEqual({ verified: false, clientId: "ca_app" });
    expect(await read(await hs({ ...CLAIMS, iss: "https://elsewhere.example" }))).toBeNull();
    expect(await read(await hs({ iss: TEST_ISSUER, aud: "ca_app" }))).toBeNull();
  });

  it("refuses what our keys did not sign: another key, a changed payload, an unknown kid, no kid, another algorithm", async () => {
    const token = await ours();
    const [header, , signature] = token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...CLAIMS, sub: "admin" })).toString("base64url");
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const { kid } = await activeSigningKey(db, "RS256");
    const cases = {
      changedPayload: `${header}.${forgedPayload}.${signature}`,
      anotherKeySameKid: await new SignJWT(CLAIMS).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(stranger),
      unknownKid: await new SignJWT(CLAIMS).setProtectedHeader({ alg: "RS256", kid: "no-such-kid", typ: "JWT" }).sign(stranger),
      noKid: await new SignJWT(CLAIMS).setProtectedHeader({ alg: "RS256", typ: "JWT" }).sign(stranger),
      ps256: await new SignJWT(CLAIMS).setProtectedHeader({ alg: "PS256", kid, typ: "JWT" }).sign(stranger),
      unsigned: `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify(CLAIMS)).toString("base64url")}.`,
      garbage: "not.a.jwt",
    };
    const results = Object.fromEntries(await Promise.all(Object.entries(cases).map(async ([name, t]) => [name, await read(t)])));
    expect(results).toEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, null])));
  });

  it("refuses a kid of the other algorithm: an ES256 header on our RS256 key's kid", async () => {
    const { kid: rsKid } = await activeSigningKey(db, "RS256");
    const { key: esKey } = await activeSigningKey(db, "ES256");
    const mixed = await new SignJWT(CLAIMS).setProtectedHeader({ alg: "ES256", kid: rsKid, typ: "JWT" }).sign(esKey);
    expect(await read(mixed)).toBeNull();
  });
});
