import { existsSync } from "node:fs";
import path from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { testClient } from "@/tests/oauth-client";
import { createUser } from "../auth/users";
import { authorize } from "./authorize/flow";
import { CLAIMS_SUPPORTED, discoveryDocument, ENDPOINTS, SCOPES_SUPPORTED } from "./discovery";
import { ensureSigningKeys } from "../keys/signing-keys";
import { s256 } from "./pkce";
import { userInfo } from "./userinfo";

const off = { dcr_enabled: false, cimd_enabled: false, require_par: false };

describe("discovery document", () => {
  it("uses the issuer exactly and builds every endpoint from it", () => {
    const doc = discoveryDocument("https://id.example.com", off);
    expect(doc.issuer).toBe("https://id.example.com");
    expect(doc.authorization_endpoint).toBe("https://id.example.com/oauth2/authorize");
    expect(doc.token_endpoint).toBe("https://id.example.com/oauth2/token");
    expect(doc.jwks_uri).toBe("https://id.example.com/.well-known/jwks.json");
    expect(doc.end_session_endpoint).toBe("https://id.example.com/oauth2/end_session");
    expect(doc.device_authorization_endpoint).toBe("https://id.example.com/oauth2/device_authorization");
  });

  it("states the OAuth 2.1 profile: code only, S256 only, iss in responses", () => {
    const doc = discoveryDocument("https://id.example.com", off);
    expect(doc.response_types_supported).toEqual(["code"]);
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
    expect(doc.grant_types_supported).toEqual(["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "client_credentials"]);
    expect(doc.authorization_response_iss_parameter_supported).toBe(true);
  });

  it("derives auth methods and ID-token algorithms from the client-type policy table", () => {
    const doc = discoveryDocument("https://id.example.com", off);
    expect([...doc.token_endpoint_auth_methods_supported].sort()).toEqual(["client_secret_basic", "client_secret_post", "none", "private_key_jwt"]);
    expect([...doc.id_token_signing_alg_values_supported].sort()).toEqual(["ES256", "HS256", "RS256"]);
  });

  it("lists the client assertion algorithms: asymmetric only, never none or HS*", () => {
    const doc = discoveryDocument("https://id.example.com", off);
    for (const field of ["token_endpoint", "introspection_endpoint", "revocation_endpoint"] as const) {
      expect(doc[`${field}_auth_signing_alg_values_supported`]).toEqual(["RS256", "PS256", "ES256", "EdDSA"]);
      expect(doc[`${field}_auth_methods_supported`]).toContain("private_key_jwt");
    }
  });

  it("advertises registration and CIMD only when the project turns them on", () => {
    const plain = discoveryDocument("https://id.example.com", off);
    expect(plain).not.toHaveProperty("registration_endpoint");
    expect(plain.client_id_metadata_document_supported).toBe(false);
    const on = discoveryDocument("https://id.example.com", { dcr_enabled: true, cimd_enabled: true, require_par: false });
    expect(on.registration_endpoint).toBe("https://id.example.com/oauth2/register");
    expect(on.client_id_metadata_document_supported).toBe(true);
  });

  // Every advertised value, and nothing else (RFC 8414 §2, OIDC Discovery §3).
  const sorted = (values: readonly string[]) => [...values].sort();
  const EXPECTED = {
    issuer: "https://id.example.com",
    authorization_endpoint: "https://id.example.com/oauth2/authorize",
    token_endpoint: "https://id.example.com/oauth2/token",
    device_authorization_endpoint: "https://id.example.com/oauth2/device_authorization",
    pushed_authorization_request_endpoint: "https://id.example.com/oauth2/par",
    require_pushed_authorization_requests: false,
    userinfo_endpoint: "https://id.example.com/oauth2/userinfo",
    introspection_endpoint: "https://id.example.com/oauth2/introspect",
    revocation_endpoint: "https://id.example.com/oauth2/revoke",
    end_session_endpoint: "https://id.example.com/oauth2/end_session",
    jwks_uri: "https://id.example.com/.well-known/jwks.json",
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "client_credentials"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none", "private_key_jwt"],
    token_endpoint_auth_signing_alg_values_supported: sorted(["RS256", "PS256", "ES256", "EdDSA"]),
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
    introspection_endpoint_auth_signing_alg_values_supported: sorted(["RS256", "PS256", "ES256", "EdDSA"]),
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none", "private_key_jwt"],
    revocation_endpoint_auth_signing_alg_values_supported: sorted(["RS256", "PS256", "ES256", "EdDSA"]),
    // RFC 9449 §5.1: asymmetric algorithms only.
    dpop_signing_alg_values_supported: sorted(["RS256", "PS256", "ES256", "EdDSA", "Ed25519"]),
    id_token_signing_alg_values_supported: ["ES256", "HS256", "RS256"],
    subject_types_supported: ["public"],
    scopes_supported: sorted(["openid", "profile", "email", "phone", "offline_access", "full_access", "read:current_user", "update:current_user_metadata"]),
    claims_supported: sorted([
      "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp", "amr", "idp",
      "name", "email", "email_verified", "phone_number", "phone_number_verified",
    ]),
    prompt_values_supported: ["none", "login", "consent"],
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
  };
  /** The document with its lists sorted (their order carries no meaning). */
  const normalised = (doc: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, Array.isArray(v) ? sorted(v as string[]) : v]));

  it.each([
    [{ dcr_enabled: false, cimd_enabled: false, require_par: false }, {}],
    [{ dcr_enabled: true, cimd_enabled: false, require_par: false }, { registration_endpoint: "https://id.example.com/oauth2/register" }],
    [{ dcr_enabled: false, cimd_enabled: true, require_par: false }, {}],
    [{ dcr_enabled: false, cimd_enabled: false, require_par: true }, { require_pushed_authorization_requests: true }],
  ])("advertises exactly every supported value with %j", (settings, extra) => {
    const doc = discoveryDocument("https://id.example.com", settings);
    expect(normalised(doc)).toEqual(normalised({ ...EXPECTED, ...extra, client_id_metadata_document_supported: settings.cimd_enabled }));
  });

  it.each(Object.entries(ENDPOINTS))("%s %s is served by a route of this app", (name, endpoint) => {
    expect(existsSync(path.join(import.meta.dirname, "../../app", endpoint, "route.ts"))).toBe(true);
    const doc = discoveryDocument("https://id.example.com", { dcr_enabled: true, cimd_enabled: false, require_par: false });
    expect(doc[name as keyof typeof doc]).toBe(`https://id.example.com${endpoint}`);
  });

  it("scopes_supported lists the built-in scopes", () => {
    expect(sorted(SCOPES_SUPPORTED)).toEqual(EXPECTED.scopes_supported);
  });
});

/**
 * Claims the document advertises that no token or UserInfo response carries:
 * users have no phone number on record, so the `phone` scope yields nothing.
 */
const ADVERTISED_NEVER_ISSUED = ["phone_number", "phone_number_verified"];

describe.each(testDatabases)("claims_supported on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("names every claim the ID token and UserInfo carry when every scope is granted, and no other", async () => {
    const user = await createUser(db.prisma, { email: "claims@example.com", password: "correct horse battery", name: "Claire Ims" }, "member");
    const app = await testClient(db, { allowed_scopes: ["openid", "profile", "email", "phone"] });
    const query = new URLSearchParams({
      client_id: app.clientId, response_type: "code", scope: "openid profile email phone", nonce: "n",
      redirect_uri: app.redirectUri, code_challenge: s256("a-Verifier_with~all.chars".padEnd(50, "x")), code_challenge_method: "S256",
    });
    const outcome = await authorize(db.oauth, query, { userId: user.id, authTime: new Date(), signIn: { amr: ["fed"], idp: "acme" } });
    if (outcome.type !== "redirect") throw new Error(JSON.stringify(outcome));
    const tokens = await app.exchange(new URL(outcome.location).searchParams.get("code")!);
    // How the user signed in travels from the session through the code into the ID token.
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ amr: ["fed"], idp: "acme" });
    const info = await userInfo(db.oauth, { authorization: `Bearer ${tokens.access_token}`, form: null });
    const issued = new Set([...Object.keys(decodeJwt(tokens.id_token!)), ...Object.keys(info)]);
    expect([...issued].sort()).toEqual(CLAIMS_SUPPORTED.filter((c) => !ADVERTISED_NEVER_ISSUED.includes(c)).sort());
    for (const claim of ADVERTISED_NEVER_ISSUED) expect(CLAIMS_SUPPORTED).toContain(claim);
  });
});
