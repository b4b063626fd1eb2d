import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { CLIENT_ASSERTION_ALGS, type ClientAssertionAlg, type ClientJwk, type ClientJwks } from "../clients/client-jwks";
import type { OAuthContext } from "./context";
import { ENDPOINTS } from "./discovery";
import { OAuthError } from "./oauth-error";
import type { OAuthClient } from "./store";

/** RFC 7523 §2.2: the one client assertion type. */
export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** The latest `exp` accepted, ahead of this server's clock: an assertion is made for one request, not kept. */
export const MAX_ASSERTION_LIFETIME_S = 300;
/** Clock difference tolerated between client and server, on `exp`, `nbf` and `iat`. */
export const ASSERTION_CLOCK_SKEW_S = 10;
const MAX_JTI_LENGTH = 256;

/** Which key types sign with each algorithm. */
const KTY_OF: Record<ClientAssertionAlg, ClientJwk["kty"]> = { RS256: "RSA", PS256: "RSA", ES256: "EC", EdDSA: "OKP" };

/** Every refusal: the same invalid_client a client sees for any failure (RFC 6749 §5.2); why, only in `detail` for the logs. */
const refused = (detail: string) => new OAuthError("invalid_client", "Client authentication failed", { detail });

const imported = new WeakMap<ClientJwk, KeyObject>();
function keyObject(jwk: ClientJwk): KeyObject {
  let key = imported.get(jwk);
  if (!key) imported.set(jwk, (key = createPublicKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" })));
  return key;
}

/** The keys of a set that may have signed a token with this header: right type, and the same kid and alg when both say one. */
function candidates(jwks: ClientJwks, alg: ClientAssertionAlg, kid: string | undefined): ClientJwk[] {
  return jwks.keys.filter((k) => k.kty === KTY_OF[alg] && (k.alg === undefined || k.alg === alg) && (kid === undefined || k.kid === kid));
}

/** The client's keys: registered, or from its jwks_uri (`refresh`: fetched again, an unknown kid was met). */
async function clientKeys(ctx: OAuthContext, client: OAuthClient, refresh: boolean): Promise<ClientJwks> {
  if (client.jwks) return client.jwks;
  if (!client.jwksUri) throw refused("the client has no keys registered");
  try {
    return await ctx.remoteJwks.get(client.jwksUri, { refresh });
  } catch (error) {
    throw refused(`its jwks_uri could not be used: ${(error as Error).message}`);
  }
}

/**
 * Verifies a private_key_jwt client assertion (RFC 7523 §3, OIDC Core §9)
 * for `client`, as named steps: an accepted algorithm (RS256, PS256, ES256,
 * EdDSA: never none or HS*), a key of the client's that matches (a kid
 * unknown to a jwks_uri's cached set fetches it once more), the signature,
 * `iss` = `sub` = client_id, `aud` naming this server (its issuer or token
 * endpoint), `exp` in the future yet at most 300 s ahead, then the `jti`
 * spent in the database until `exp`, so a replay fails on every instance.
 * Throws invalid_client; passes only once per assertion.
 */
export async function verifyClientAssertion(ctx: OAuthContext, client: OAuthClient, assertion: string): Promise<void> {
  const { alg, kid } = acceptedHeader(assertion);
  let keys = candidates(await clientKeys(ctx, client, false), alg, kid);
  // A key rotation: the client signs with a key its jwks_uri lists now, not yet in the cached set.
  if (!keys.length && client.jwksUri) keys = candidates(await clientKeys(ctx, client, true), alg, kid);
  if (!keys.length) throw refused(kid === undefined ? `no ${alg} key is registered` : `no key with kid ${kid} is registered`);
  const payload = await verifiedPayload(ctx, client, assertion, alg, keys);
  await spendJti(ctx, client, payload);
}

/** The header's alg, when it is one this server accepts, and its kid. */
function acceptedHeader(assertion: string): { alg: ClientAssertionAlg; kid: string | undefined } {
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw refused("client_assertion is not a JWS");
  }
  if (!(CLIENT_ASSERTION_ALGS as readonly unknown[]).includes(header.alg)) throw refused(`alg ${String(header.alg)} is not accepted for client assertions`);
  if (header.kid !== undefined && typeof header.kid !== "string") throw refused("kid must be a string");
  return { alg: header.alg as ClientAssertionAlg, kid: header.kid };
}

/** The claims, once one of `keys` verifies the signature and the claims hold. */
async function verifiedPayload(ctx: OAuthContext, client: OAuthClient, assertion: string, alg: ClientAssertionAlg, keys: ClientJwk[]): Promise<JWTPayload> {
  const now = ctx.clock();
  let problem = "the signature does not verify with the client's keys";
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(assertion, keyObject(key), {
        algorithms: [alg],
        issuer: client.clientId,
        subject: client.clientId,
        // RFC 7523 §3: the authorization server; OIDC Core §9 says its token endpoint; RFC 9126 §2 adds the PAR endpoint. Any of them.
        audience: [ctx.issuer, `${ctx.issuer}${ENDPOINTS.token_endpoint}`, `${ctx.issuer}${ENDPOINTS.pushed_authorization_request_endpoint}`],
        requiredClaims: ["exp", "jti"],
        clockTolerance: ASSERTION_CLOCK_SKEW_S,
        currentDate: now,
      });
      if (payload.exp! > now.getTime() / 1000 + MAX_ASSERTION_LIFETIME_S + ASSERTION_CLOCK_SKEW_S) {
        throw refused(`exp is more than ${MAX_ASSERTION_LIFETIME_S} s ahead`);
      }
      return payload;
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      const code = (error as { code?: string }).code;
      // A signature that fails may verify with the next candidate; any other failure is about the claims.
      if (code !== "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") throw refused(`client_assertion: ${(error as Error).message}`);
      problem = (error as Error).message;
    }
  }
  throw refused(problem);
}

/** Records the jti (with the client: two clients' jtis never collide) until the assertion expires; a second use is a replay. */
async function spendJti(ctx: OAuthContext, client: OAuthClient, payload: JWTPayload): Promise<void> {
  const { jti, exp } = payload;
  if (typeof jti !== "string" || jti.length > MAX_JTI_LENGTH) throw refused(`jti must be a string of at most ${MAX_JTI_LENGTH} characters`);
  const hash = createHash("sha256").update(JSON.stringify([client.clientId, jti])).digest("base64url");
  const until = new Date((exp! + ASSERTION_CLOCK_SKEW_S) * 1000);
  if (!(await ctx.store.useClientAssertion(hash, until))) throw refused("the assertion's jti was used before (a replay)");
}
