import { afterEach, describe, expect, it } from "vitest";
import { typeFacts } from "@/components/apps/type-facts";
import { openApiDocument } from "../api/openapi";
import { consentRequired } from "../oauth/authorize/consent";
import { parseCreateInput, STRICT } from "./app-input";
import { CLIENT_POLICIES, policyFor } from "./policy";

/**
 * The policy table is the one source of per-type behaviour: flipping one
 * cell (at run time; `as const` is only a compile-time promise) changes the
 * rule it governs everywhere at once: the settings validation, the
 * protocol behaviour, the management API's documentation and the
 * dashboard's explanation of the type.
 */
const cell = CLIENT_POLICIES.third_party as { consentSkippable: boolean };
afterEach(() => {
  cell.consentSkippable = false;
});

const input = { client_type: "third_party", name: "App", redirect_uris: ["https://app.example.com/cb"], skip_consent: true };
const app = { clientType: "third_party" as const, skipConsent: true, bypassConsentForOfflineAccess: false, redirectUris: ["https://app.example.com/cb"] };
const params = { scopes: ["openid"], prompt: [] };
const skipConsentDoc = (issuer: string) => {
  const schemas = (openApiDocument(issuer) as unknown as { components: { schemas: Record<string, { properties: Record<string, { description?: string }> }> } }).components.schemas;
  return schemas.CreateConnectedApp!.properties.skip_consent!.description;
};

describe("one cell of the policy table: third_party consentSkippable", () => {
  it("as shipped (false): refused in settings, consent asked, documented and explained so", () => {
    expect(() => parseCreateInput(input, STRICT)).toThrow(/skip_consent: only first-party apps may skip consent/);
    expect(consentRequired(app, params, null)).toBe(true);
    expect(skipConsentDoc("https://cell-off.example")).toBe("First-party apps only.");
    expect(typeFacts(policyFor("third_party"), { development: false })).toContain("Users always approve it on a consent screen");
  });

  it("flipped (true): every one of them follows", () => {
    cell.consentSkippable = true;
    expect(parseCreateInput(input, STRICT).settings.skip_consent).toBe(true);
    expect(consentRequired(app, params, null)).toBe(false);
    expect(skipConsentDoc("https://cell-on.example")).toBe("Apps of type first_party, first_party_public or third_party only.");
    expect(typeFacts(policyFor("third_party"), { development: false })).toContain("You may let it skip the consent screen");
  });
});
