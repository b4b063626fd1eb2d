import { policyFor } from "../../clients/policy";
import type { InteractionClient } from "../store";
import type { AuthorizationParams } from "./request";

/**
 * Whether the user must be asked (docs/design.md policy table, "Consent"):
 * `prompt=consent` always asks; a remembered grant that covers every
 * requested scope does not; a first-party app set to skip consent does not,
 * except for a new `offline_access` unless the app bypasses that too;
 * third-party apps are asked for anything not yet granted, and a
 * third-party app whose identity cannot be assured is asked every time.
 */
export function consentRequired(
  app: Pick<InteractionClient, "clientType" | "skipConsent" | "bypassConsentForOfflineAccess" | "redirectUris">,
  params: Pick<AuthorizationParams, "scopes" | "prompt">,
  granted: readonly string[] | null,
): boolean {
  if (params.prompt.includes("consent")) return true;
  if (!identityAssured(app)) return true;
  const missing = params.scopes.filter((s) => !granted?.includes(s));
  if (granted !== null && missing.length === 0) return false;
  if (policyFor(app.clientType).consentSkippable && app.skipConsent) {
    return missing.includes("offline_access") && !app.bypassConsentForOfflineAccess;
  }
  return true;
}

/**
 * RFC 8252 §8.6: without a secret, and with redirect URIs any program can
 * listen on (loopback) or claim (a private-use scheme), anyone can use a
 * third-party public client's client_id, so what a user approved before
 * must not be approved again silently. A public client with an https
 * redirect URI is identified by that host; the owner's own (first-party)
 * apps are vouched for by the owner.
 */
export function identityAssured(app: Pick<InteractionClient, "clientType" | "redirectUris">): boolean {
  const policy = policyFor(app.clientType);
  if (policy.confidential || policy.ownership === "first_party") return true;
  return app.redirectUris.some((uri) => URL.canParse(uri) && new URL(uri).protocol === "https:");
}
