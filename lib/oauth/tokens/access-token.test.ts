import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { OAuthContext } from "../context";
import { ACCESS_TOKEN_TYP, verifyAccessToken } from "./access-token";
import { signJws } from "./jws";

const ISSUER = "https://id.example.com";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
// verifyAccessToken reads only the issuer and the verification keys of the context.
const ctx = { issuer: ISSUER, keys: { verification: async (kid: string) => (kid === "k1" ? publicKey : null) } } as unknown as OAuthContext;
const NOW = new Date("2026-12-03T10:00:00Z");
const now = Math.floor(NOW.getTime() / 1000);
const claims = { iss: ISSUER, sub: "user-1", aud: ISSUER, exp: now + 60, iat: now, jti: "family.jti", client_id: "ca_1", scope: "openid email" };
const token = (payload: Record<string, unknown>, typ = ACCESS_TOKEN_TYP) => signJws({ alg: "RS256", typ, kid: "k1" }, payload, privateKey);

describe("verifyAccessToken", () => {
  it("returns the claims of a valid token of ours", async () => {
    expect(await verifyAccessToken(ctx, await token(claims), NOW)).toEqual(claims);
    expect(await verifyAccessToken(ctx, await token({ ...claims, nbf: now }), NOW)).toMatchObject({ sub: "user-1" });
  });

  it("reads a missing or non-string scope as no scope", async () => {
    expect((await verifyAccessToken(ctx, await token({ ...claims, scope: undefined }), NOW))?.scope).toBe(""); // left out by JSON
    expect((await verifyAccessToken(ctx, await token({ ...claims, scope: ["openid"] }), NOW))?.scope).toBe("");
  });

  it("is valid until the second of exp, not at it", async () => {
    expect(await verifyAccessToken(ctx, await token({ ...claims, exp: now + 1 }), NOW)).not.toBeNull();
    expect(await verifyAccessToken(ctx, await token({ ...claims, exp: now }), NOW)).toBeNull();
  });

  it.each<[string, Record<string, unknown>]>([
    ["another issuer", { iss: "https://other.example.com" }],
    ["no issuer", { iss: undefined }],
    ["no sub", { sub: undefined }],
    ["a numeric sub", { sub: 1 }],
    ["no jti", { jti: undefined }],
    ["no client_id", { client_id: undefined }],
    ["no exp", { exp: undefined }],
    ["a string exp", { exp: String(now + 60) }],
    ["no iat", { iat: undefined }],
    ["a string iat", { iat: String(now) }],
    ["an nbf in the future", { nbf: now + 1 }],
    ["a string nbf", { nbf: String(now) }],
  ])("refuses a token with %s", async (_, change) => {
    expect(await verifyAccessToken(ctx, await token({ ...claims, ...change }), NOW)).toBeNull();
  });

  it("refuses an ID token (typ JWT) and a token under an unknown key", async () => {
    expect(await verifyAccessToken(ctx, await token(claims, "JWT"), NOW)).toBeNull();
    const other = await signJws({ alg: "RS256", typ: ACCESS_TOKEN_TYP, kid: "k2" }, claims, privateKey);
    expect(await verifyAccessToken(ctx, other, NOW)).toBeNull();
  });
});
