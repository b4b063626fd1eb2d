import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { dpopFixture, dpopProof, type DpopKey } from "@/tests/dpop";
import { testDatabases, type TestDatabase } from "@/tests/databases";
import { ISSUER, oauthRefusal, VERIFIER } from "@/tests/oauth-client";
import { createApp } from "../../clients/apps";
import { authorize, type AuthSession } from "../authorize/flow";
import { pushAuthorizationRequest } from "../par";
import { s256 } from "../pkce";
import { handleTokenRequest } from "../token-endpoint";

const REDIRECT = "http://127.0.0.1/cb";
const PAR_URL = `${ISSUER}/oauth2/par`;
const TOKEN_URL = `${ISSUER}/oauth2/token`;

// RFC 9449 §10.1: a DPoP proof at the PAR endpoint binds the pushed request's code to the proof's key.
describe.each(testDatabases)("DPoP at the PAR endpoint on $name", ({ target }) => {
  let db: TestDatabase;
  let session: AuthSession;
  let clientId: string;
  let key: DpopKey;
  let otherKey: DpopKey;
  beforeAll(async () => {
    ({ db, session, key, otherKey } = await dpopFixture(target));
    const { app } = await createApp(
      db.prisma,
      { type: "system", id: null, label: "test" },
      { client_type: "first_party_public", name: "PAR DPoP", redirect_uris: [REDIRECT], skip_consent: true },
      "api",
    );
    clientId = app.client_id;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const push = (dpop: string | null, extra: Record<string, string> = {}) =>
    pushAuthorizationRequest(db.oauth, {
      authorization: null,
      form: new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: REDIRECT, scope: "openid", code_challenge: s256(VERIFIER), code_challenge_method: "S256", ...extra }),
      dpop,
    });
  /** The code /authorize issues for a pushed request. */
  async function codeFor(requestUri: string): Promise<string> {
    const outcome = await authorize(db.oauth, new URLSearchParams({ client_id: clientId, request_uri: requestUri }), session, new Date());
    if (outcome.type !== "redirect") throw new Error(`expected a redirect, got ${JSON.stringify(outcome)}`);
    return new URL(outcome.location).searchParams.get("code")!;
  }
  const redeem = async (code: string, k: DpopKey | null) =>
    handleTokenRequest(db.oauth, {
      authorization: null,
      form: new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, code, redirect_uri: REDIRECT, code_verifier: VERIFIER }),
      dpop: k ? await dpopProof(k, "POST", TOKEN_URL) : null,
    });

  it("a pushed request with a proof binds its code to the proof's key", async () => {
    const { request_uri } = await push(await dpopProof(key, "POST", PAR_URL));
    const code = await codeFor(request_uri);
    const refusal = "invalid_grant: The authorization code is bound to a DPoP key: send a DPoP proof made with it";
    expect(await oauthRefusal(redeem(code, null))).toBe(refusal);
    expect(await oauthRefusal(redeem(code, otherKey))).toBe(refusal);
    expect(decodeJwt((await redeem(code, key)).access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it("dpop_jkt pushed without a proof binds the code too; beside a proof it must name the proof's key", async () => {
    const { request_uri } = await push(null, { dpop_jkt: key.jkt });
    const code = await codeFor(request_uri);
    expect(await oauthRefusal(redeem(code, otherKey))).toMatch(/^invalid_grant:/);
    expect((await redeem(code, key)).token_type).toBe("DPoP");
    expect(await oauthRefusal(push(await dpopProof(otherKey, "POST", PAR_URL), { dpop_jkt: key.jkt }))).toBe(
      "invalid_request: dpop_jkt does not match the key of the DPoP proof",
    );
  });

  it("a proof at the PAR endpoint is checked like any: its htu, and once only", async () => {
    expect(await oauthRefusal(push(await dpopProof(key, "POST", TOKEN_URL)))).toBe(`invalid_dpop_proof: The DPoP proof's htu must be ${PAR_URL}`);
    const proof = await dpopProof(key, "POST", PAR_URL);
    await push(proof);
    expect(await oauthRefusal(push(proof))).toBe("invalid_dpop_proof: This DPoP proof was used before (a replay): make a new one for each request");
  });

  it("a pushed request without a proof or dpop_jkt leaves its code unbound", async () => {
    const code = await codeFor((await push(null)).request_uri);
    expect((await redeem(code, null)).token_type).toBe("Bearer");
  });
});
