import { describe, expect, it } from "vitest";
import { policyFor } from "@/lib/clients/policy";
import { redirectUriHint, typeFacts } from "@/components/apps/type-facts";

const prod = { development: false };
const dev = { development: true };

describe("the dashboard's redirect-URI words come from the rule's table", () => {
  it("summarises each type's cell for this server's mode", () => {
    expect(typeFacts(policyFor("first_party"), prod)).toContain("Redirect URIs: https only");
    expect(typeFacts(policyFor("first_party"), dev)).toContain("Redirect URIs: https or loopback http");
    expect(typeFacts(policyFor("third_party_public"), prod)).toContain("Redirect URIs: https, loopback http or app schemes");
  });

  it("hints with the words a refusal uses", () => {
    expect(redirectUriHint(policyFor("first_party"), prod)).toBe(
      "One per line. This app type accepts only https URLs (http on 127.0.0.1, [::1] or localhost too while the server runs in development mode).",
    );
    expect(redirectUriHint(policyFor("first_party_public"), prod)).toBe(
      "One per line. This app type accepts https URLs, http on 127.0.0.1, [::1] or localhost (any port) or app schemes in reverse-DNS form such as com.example.app:/callback.",
    );
  });
});
