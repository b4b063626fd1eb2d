import { describe, expect, it } from "vitest";
import { CLIENT_TYPES, policyFor } from "../../clients/policy";
import { consentRequired, identityAssured } from "./consent";

const app = (
  clientType: (typeof CLIENT_TYPES)[number],
  skipConsent = false,
  bypassConsentForOfflineAccess = false,
  redirectUris: string[] = ["https://app.example/cb"],
) => ({ clientType, skipConsent, bypassConsentForOfflineAccess, redirectUris });
const req = (scopes: string[], prompt: ("none" | "login" | "consent")[] = []) => ({ scopes, prompt });

describe("consentRequired follows the policy table", () => {
  it.each(CLIENT_TYPES)("%s: asked the first time; remembered when every scope was granted; asked again when scopes grow", (type) => {
    expect(consentRequired(app(type), req(["openid"]), null)).toBe(true);
    expect(consentRequired(app(type), req(["openid"]), ["openid", "email"])).toBe(false);
    expect(consentRequired(app(type), req(["openid", "profile"]), ["openid", "email"])).toBe(true);
    expect(consentRequired(app(type), req([]), [])).toBe(false);
  });

  it.each(CLIENT_TYPES)("%s: asked the first time even for no scopes (no grant on record is not an empty grant)", (type) => {
    expect(consentRequired(app(type), req([]), null)).toBe(true);
    expect(consentRequired(app(type, true), req([]), null)).toBe(!policyFor(type).consentSkippable);
  });

  it.each(CLIENT_TYPES)("%s: prompt=consent always asks", (type) => {
    expect(consentRequired(app(type, true, true), req(["openid"], ["consent"]), ["openid"])).toBe(true);
  });

  it.each(CLIENT_TYPES)("%s: skip_consent skips only where the table allows it", (type) => {
    const skippable = policyFor(type).consentSkippable;
    expect(consentRequired(app(type, true), req(["openid", "profile"]), null)).toBe(!skippable);
  });

  it.each(CLIENT_TYPES.filter((t) => policyFor(t).consentSkippable))(
    "%s: a new offline_access still asks unless bypass_consent_for_offline_access is set",
    (type) => {
      expect(consentRequired(app(type, true), req(["openid", "offline_access"]), null)).toBe(true);
      expect(consentRequired(app(type, true), req(["openid", "offline_access"]), ["offline_access"])).toBe(false);
      expect(consentRequired(app(type, true, true), req(["openid", "offline_access"]), null)).toBe(false);
    },
  );
});

describe("RFC 8252 §8.6: an app whose identity cannot be assured is asked every time", () => {
  const deviceOnly = [["http://127.0.0.1/cb"], ["http://localhost:8080/cb", "com.example.app:/cb"], ["com.example.app:/oauth"]];
  it.each(CLIENT_TYPES)("%s", (type) => {
    const policy = policyFor(type);
    const assuredByType = policy.confidential || policy.ownership === "first_party";
    for (const uris of deviceOnly) {
      expect(identityAssured(app(type, false, false, uris)), uris.join(" ")).toBe(assuredByType);
      // A full remembered grant: skipped only where the identity is assured.
      expect(consentRequired(app(type, false, false, uris), req(["openid"]), ["openid"]), uris.join(" ")).toBe(!assuredByType);
    }
    // An https redirect URI identifies the app by its host.
    expect(identityAssured(app(type, false, false, ["http://127.0.0.1/cb", "https://app.example/cb"]))).toBe(true);
    expect(consentRequired(app(type, false, false, ["https://app.example/cb"]), req(["openid"]), ["openid"])).toBe(false);
  });
});
