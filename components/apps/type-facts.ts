import type { ClientPolicy } from "@/lib/clients/policy";

/** How an app was created, in plain words. */
export const CREATION_METHOD_LABELS: Record<string, string> = {
  dashboard: "Dashboard",
  api: "Management API",
  dcr: "Dynamic Client Registration",
  cimd: "Client ID Metadata Document",
};

/** What the redirect-URI rule of a type allows, in plain words. */
export function redirectUriHint(policy: Pick<ClientPolicy, "redirectUris">): string {
  return policy.redirectUris === "public"
    ? "One per line. https URLs, loopback URLs such as http://127.0.0.1/callback (any port), or app schemes such as com.example.app:/callback."
    : "One per line. https URLs only, such as https://app.example.com/callback.";
}

/** The consequences of a type, read from its policy (never from its name). */
export function typeFacts(policy: ClientPolicy): string[] {
  return [
    policy.confidential
      ? policy.tokenEndpointAuthMethods.includes("private_key_jwt")
        ? "Gets a client secret, shown once, or signs with its own key (private_key_jwt)"
        : "Gets a client secret, shown once"
      : `No client secret: ${policy.pkce === "required" ? "must use" : "uses"} PKCE instead`,
    policy.consentSkippable
      ? "You may let it skip the consent screen"
      : "Users always approve it on a consent screen",
    policy.redirectUris === "public"
      ? "Redirect URIs: https, loopback or app schemes"
      : "Redirect URIs: https only",
  ];
}
