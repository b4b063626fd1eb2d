import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { CLIENT_TYPES, policyFor } from "../../clients/policy";
import type { OAuthContext } from "../context";
import { atHash, signIdToken, type IdTokenInput } from "./id-token";

const ISSUER = "https://id.example.com";
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
// signIdToken reads only the issuer and the signing key of the context.
const ctx = { issuer: ISSUER, keys: { signing: async () => ({ kid: "k1", key: privateKey }) } } as unknown as OAuthContext;
const NOW = new Date("2026-12-03T10:00:00Z");
const user = { id: "0190a3c4-1b2c-7d3e-8f40-123456789abc", email: "ada@example.com", name: "Ada" };

const input = (clientType: (typeof CLIENT_TYPES)[number], scopes: string[]): IdTokenInput => ({
  client: { clientId: "ca_1", clientType, idTokenSignedResponseAlg: "RS256" },
  user: user as IdTokenInput["user"],
  scopes,
  authTime: new Date(NOW.getTime() - 60_000),
  nonce: "n-1",
  accessToken: "access-token",
  clientSecret: null,
  now: NOW,
});

describe.each(CLIENT_TYPES)("the ID token of a %s app", (type) => {
  const profile = policyFor(type).idTokenProfileClaims === "as_consented";

  it("carries the protocol claims", async () => {
    const token = await signIdToken(ctx, input(type, ["openid"]));
    expect(decodeProtectedHeader(token)).toEqual({ alg: "RS256", typ: "JWT", kid: "k1" });
    const now = NOW.getTime() / 1000;
    expect(decodeJwt(token)).toEqual({ iss: ISSUER, sub: user.id, aud: "ca_1", azp: "ca_1", iat: now, exp: expect.any(Number), auth_time: now - 60, at_hash: atHash("access-token"), nonce: "n-1" });
  });

  it("says how the user signed in (amr, idp) when known, whatever the app's type; nothing when not", async () => {
    const federated = decodeJwt(await signIdToken(ctx, { ...input(type, ["openid"]), signIn: { amr: ["fed"], idp: "acme" } }));
    expect(federated).toMatchObject({ amr: ["fed"], idp: "acme" });
    const password = decodeJwt(await signIdToken(ctx, { ...input(type, ["openid"]), signIn: { amr: ["pwd"], idp: "email" } }));
    expect(password).toMatchObject({ amr: ["pwd"], idp: "email" });
    const unknown = decodeJwt(await signIdToken(ctx, { ...input(type, ["openid"]), signIn: { amr: [], idp: null } }));
    expect(unknown).not.toHaveProperty("amr");
    expect(unknown).not.toHaveProperty("idp");
  });

  it(`${profile ? "carries" : "leaves to UserInfo"} the profile and email claims the consented scopes name (policy table)`, async () => {
    const claims = decodeJwt(await signIdToken(ctx, input(type, ["openid", "profile", "email"])));
    if (profile) expect(claims).toMatchObject({ name: "Ada", email: "ada@example.com", email_verified: false });
    else for (const claim of ["name", "email", "email_verified"]) expect(claims).not.toHaveProperty(claim);
  });
});
