import { describe, expect, it } from "vitest";
import { parseCreateInput, STRICT } from "./app-input";
import { DomainError } from "../domain-error";
import { ALL_CLIENT_TYPES, CLIENT_POLICIES, CLIENT_TYPES, credentialKind, isMachineType, MACHINE_TYPES, CLIENT_TYPE_LABELS, mayHoldFullAccess, policyFor, scopeOfferedToType, selfRegisteredType, typesInWords, type ClientType } from "./policy";

/** The client-type table of docs/design.md, transcribed column by column: the contract the policy table must keep. */
const DESIGN: Record<ClientType, Record<string, unknown>> = {
  first_party: {
    actsFor: "user", grantTypes: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"], deviceFlow: true,
    ownership: "first_party", confidential: true, tokenEndpointAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
    pkce: "if_started", redirectUris: "confidential", refreshTokens: "sliding_no_rotation", consentSkippable: true,
    fullAccessEligible: true, idTokenAlgs: ["RS256", "ES256", "HS256"], idTokenProfileClaims: "as_consented",
    creationMethods: ["dashboard", "api"], signInConnections: "project_and_app",
  },
  first_party_public: {
    actsFor: "user", grantTypes: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"], deviceFlow: true,
    ownership: "first_party", confidential: false, tokenEndpointAuthMethods: ["none"], pkce: "required",
    redirectUris: "public", refreshTokens: "rotate_with_replay_detection", consentSkippable: true,
    fullAccessEligible: true, idTokenAlgs: ["RS256", "ES256"], idTokenProfileClaims: "as_consented",
    creationMethods: ["dashboard", "api"], signInConnections: "project_and_app",
  },
  third_party: {
    actsFor: "user", grantTypes: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"], deviceFlow: true,
    ownership: "third_party", confidential: true, tokenEndpointAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
    pkce: "if_started", redirectUris: "confidential", refreshTokens: "sliding_no_rotation", consentSkippable: false,
    fullAccessEligible: false, idTokenAlgs: ["RS256", "ES256", "HS256"], idTokenProfileClaims: "minimal",
    creationMethods: ["dashboard", "api", "dcr", "cimd"], signInConnections: "project",
  },
  third_party_public: {
    actsFor: "user", grantTypes: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"], deviceFlow: true,
    ownership: "third_party", confidential: false, tokenEndpointAuthMethods: ["none"], pkce: "required",
    redirectUris: "public", refreshTokens: "rotate_with_replay_detection", consentSkippable: false,
    fullAccessEligible: false, idTokenAlgs: ["RS256", "ES256"], idTokenProfileClaims: "minimal",
    creationMethods: ["dashboard", "api", "dcr", "cimd"], signInConnections: "project",
  },
  machine: {
    actsFor: "itself", grantTypes: ["client_credentials"], deviceFlow: false,
    ownership: "first_party", confidential: true, tokenEndpointAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
    pkce: "none", redirectUris: "none", refreshTokens: "none", consentSkippable: false,
    fullAccessEligible: false, idTokenAlgs: [], idTokenProfileClaims: "none",
    creationMethods: ["dashboard", "api"], signInConnections: "none",
  },
};

const RULES = Object.keys(DESIGN.first_party);

describe("the client-type policy table", () => {
  it("has exactly the types of docs/design.md, each with a plain-words label: four connected-app types and the machine type", () => {
    expect([...ALL_CLIENT_TYPES].sort()).toEqual(Object.keys(DESIGN).sort());
    expect(CLIENT_TYPES).toEqual(["first_party", "first_party_public", "third_party", "third_party_public"]);
    expect(MACHINE_TYPES).toEqual(["machine"]);
    for (const type of ALL_CLIENT_TYPES) expect(CLIENT_TYPE_LABELS[type].title).toBeTruthy();
  });

  it("gives the machine type no grant type with a user, no consent, no refresh or ID token, no session exchange, and no self-registration", () => {
    const p = policyFor("machine");
    expect(isMachineType("machine")).toBe(true);
    expect(CLIENT_TYPES.some(isMachineType)).toBe(false);
    expect(p.grantTypes).toEqual(["client_credentials"]);
    expect([p.consentSkippable, p.fullAccessEligible, p.refreshTokens, p.idTokenAlgs]).toEqual([false, false, "none", []]);
    expect(p.creationMethods).not.toContain("dcr");
    expect(p.creationMethods).not.toContain("cimd");
    for (const type of CLIENT_TYPES) expect(policyFor(type).grantTypes).not.toContain("client_credentials");
  });

  it.each(ALL_CLIENT_TYPES)("lists the device grant for %s exactly when its type may enable the device flow", (type) => {
    const p = policyFor(type);
    expect(p.grantTypes.includes("urn:ietf:params:oauth:grant-type:device_code")).toBe(p.deviceFlow);
    // A device flow acts for a user who approves it: never the machine type's.
    if (p.actsFor === "itself") expect(p.deviceFlow).toBe(false);
  });

  describe.each(ALL_CLIENT_TYPES)("%s", (type) => {
    it.each(RULES)("rule %s matches docs/design.md", (rule) => {
      expect((CLIENT_POLICIES[type] as Record<string, unknown>)[rule]).toEqual(DESIGN[type]![rule]);
    });
  });

  it("never lets a third-party type have full_access or skip consent, and never gives a public type a secret method", () => {
    for (const type of CLIENT_TYPES) {
      const p = policyFor(type);
      if (p.ownership === "third_party") expect([p.fullAccessEligible, p.consentSkippable]).toEqual([false, false]);
      if (!p.confidential) {
        expect(p.tokenEndpointAuthMethods).toEqual(["none"]);
        expect(p.idTokenAlgs).not.toContain("HS256");
        expect(p.pkce).toBe("required");
      }
    }
  });
});

/** The rules the table drives, exercised through settings validation. */
describe.each(CLIENT_TYPES)("settings validation for %s", (type) => {
  const policy = policyFor(type);
  const base = { client_type: type, name: "App" };
  const outcome = (extra: Record<string, unknown>) => {
    try {
      parseCreateInput({ ...base, ...extra }, STRICT);
      return "accepted";
    } catch (error) {
      if (error instanceof DomainError) return Object.keys(error.fields).join(",");
      throw error;
    }
  };

  it(`skip_consent is ${policy.consentSkippable ? "allowed" : "refused"}`, () => {
    expect(outcome({ skip_consent: true })).toBe(policy.consentSkippable ? "accepted" : "skip_consent");
  });

  it(`bypass_consent_for_offline_access is ${policy.consentSkippable ? "allowed" : "refused"}`, () => {
    expect(outcome({ bypass_consent_for_offline_access: true })).toBe(
      policy.consentSkippable ? "accepted" : "bypass_consent_for_offline_access",
    );
  });

  it(`full_access is ${policy.fullAccessEligible ? "allowed when enabled" : "never allowed"}`, () => {
    expect(outcome({ full_access_allowed: true, allowed_scopes: ["openid", "full_access"] })).toBe(
      policy.fullAccessEligible ? "accepted" : "full_access_allowed,allowed_scopes",
    );
    expect(outcome({ allowed_scopes: ["full_access"] })).toBe("allowed_scopes");
  });

  it(`device_flow_enabled is ${policy.deviceFlow ? "allowed" : "refused"}, and off by default`, () => {
    expect(outcome({ device_flow_enabled: true })).toBe(policy.deviceFlow ? "accepted" : "device_flow_enabled");
    expect(parseCreateInput(base, STRICT).settings.device_flow_enabled).toBe(false);
  });

  it.each(["RS256", "ES256", "HS256"])("ID token alg %s follows the table", (alg) => {
    expect(outcome({ id_token_signed_response_alg: alg })).toBe(
      policy.idTokenAlgs.includes(alg as never) ? "accepted" : "id_token_signed_response_alg",
    );
  });

  it(`redirect URIs follow the ${policy.redirectUris} rule`, () => {
    expect(outcome({ redirect_uris: ["https://app.example.com/callback"] })).toBe("accepted");
    const nativeOnly = ["http://127.0.0.1:8080/cb", "com.example.app:/oauth2redirect"];
    expect(outcome({ redirect_uris: nativeOnly })).toBe(
      policy.redirectUris === "public" ? "accepted" : "redirect_uris[0],redirect_uris[1]",
    );
  });
});

describe("one submission reports every mistake", () => {
  it("reports a bad redirect URI together with a missing name", () => {
    const error = (() => {
      try {
        parseCreateInput({ client_type: "first_party", name: "", redirect_uris: ["http://evil.example/cb"] }, STRICT);
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(Object.keys(error!.fields).sort()).toEqual(["name", "redirect_uris[0]"]);
  });
});

describe("selfRegisteredType", () => {
  it("gives self-registered clients a third-party type chosen by the table", () => {
    expect(selfRegisteredType("dcr", "none")).toBe("third_party_public");
    expect(selfRegisteredType("dcr", "client_secret_basic")).toBe("third_party");
    expect(selfRegisteredType("dcr", "client_secret_post")).toBe("third_party");
    expect(selfRegisteredType("dcr", "private_key_jwt")).toBe("third_party");
    expect(selfRegisteredType("cimd", "none")).toBe("third_party_public");
    expect(selfRegisteredType("cimd", "private_key_jwt")).toBe("third_party");
  });
});

describe.each(CLIENT_TYPES)("the full_access rule for %s", (type) => {
  const eligible = policyFor(type).fullAccessEligible;

  it(`${eligible ? "is offered" : "is never offered"} to the type (policy table); every other scope always is`, () => {
    expect(scopeOfferedToType(type, "full_access")).toBe(eligible);
    for (const scope of ["openid", "profile", "offline_access", "read:invoices"]) expect(scopeOfferedToType(type, scope)).toBe(true);
  });

  it("is held only where the type is eligible and the owner switched it on", () => {
    expect(mayHoldFullAccess({ clientType: type, fullAccessAllowed: true })).toBe(eligible);
    expect(mayHoldFullAccess({ clientType: type, fullAccessAllowed: false })).toBe(false);
  });
});

describe("credentialKind", () => {
  it("groups the methods by what the client holds: a key, a secret (either way of sending it) or nothing", () => {
    expect(credentialKind("private_key_jwt")).toBe("key");
    expect(credentialKind("client_secret_basic")).toBe("secret");
    expect(credentialKind("client_secret_post")).toBe("secret");
    expect(credentialKind("none")).toBe("none");
  });
});

describe("typesInWords", () => {
  it("names a rule's types by the group they form, else by name", () => {
    expect(typesInWords(() => true)).toBe("all apps");
    expect(typesInWords((p) => p.ownership === "first_party")).toBe("first-party apps");
    expect(typesInWords((p) => p.ownership === "third_party")).toBe("third-party apps");
    expect(typesInWords((p) => p.confidential)).toBe("confidential apps");
    expect(typesInWords((p) => !p.confidential)).toBe("public apps");
    expect(typesInWords((p) => p.creationMethods.includes("cimd"))).toBe("third-party apps");
    expect(typesInWords((p) => p.tokenEndpointAuthMethods.includes("private_key_jwt"))).toBe("confidential apps");
    expect(typesInWords((p) => p.creationMethods.includes("dcr"))).toBe("third-party apps");
    expect(typesInWords((p) => (p.ownership === "first_party") === p.confidential)).toBe("apps of type first_party or third_party_public");
    expect(typesInWords((p) => p === CLIENT_POLICIES.first_party_public)).toBe("apps of type first_party_public");
    expect(typesInWords(() => false)).toBe("no app");
  });
});
