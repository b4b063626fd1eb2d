import type { ClientPolicy } from "@/lib/clients/policy";
import { acceptedRedirectUris, REDIRECT_URI_ACCEPTANCE } from "@/lib/clients/redirect-uris";

/** How an app was created, in plain words. */
export const CREATION_METHOD_LABELS: Record<string, string> = {
  dashboard: "Dashboard",
  api: "Management API",
  dcr: "Dynamic Client Registration",
  cimd: "Client ID Metadata Document",
};

/** What the redirect-URI rule of a type accepts in this server's mode, in the words its refusals use (one table). */
export function redirectUriHint(policy: Pick<ClientPolicy, "redirectUris">, mode: { development: boolean }): string {
  return `One per line. This app type accepts ${acceptedRedirectUris(policy.redirectUris, mode)}.`;
}

/** The redirect-URI table's cell for a type in this mode, briefly: "https only", "https, loopback http or app schemes". */
function redirectUriKinds(policy: Pick<ClientPolicy, "redirectUris">, mode: { development: boolean }): string {
  if (policy.redirectUris === "none") return "none";
  const accepts = REDIRECT_URI_ACCEPTANCE[policy.redirectUris][mode.development ? "development" : "production"];
  const kinds = ["https", ...(accepts.loopbackHttp ? ["loopback http"] : []), ...(accepts.privateUseScheme ? ["app schemes"] : [])];
  return kinds.length === 1 ? "https only" : `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}`;
}

/** The consequences of a type, read from its policy (never from its name). */
export function typeFacts(policy: ClientPolicy, mode: { development: boolean }): string[] {
  return [
    policy.confidential
      ? policy.tokenEndpointAuthMethods.includes("private_key_jwt")
        ? "Gets a client secret, shown once, or signs with its own key (private_key_jwt)"
        : "Gets a client secret, shown once"
      : `No client secret: ${policy.pkce === "required" ? "must use" : "uses"} PKCE instead`,
    policy.consentSkippable
      ? "You may let it skip the consent screen"
      : "Users always approve it on a consent screen",
    `Redirect URIs: ${redirectUriKinds(policy, mode)}`,
  ];
}
