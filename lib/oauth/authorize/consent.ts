import { policyFor } from "../../clients/policy";
import type { InteractionClient } from "../store";
import type { AuthorizationParams } from "./request";

/**
 * Whether the user must be asked (docs/design.md policy table, "Consent"):
 * `prompt=consent` always asks; a remembered grant that covers every
 * requested scope does not; a first-party app set to skip consent does not,
 * except for a new `offline_access` unless the app bypasses that too;
 * third-party apps are asked for anything not yet granted.
 */
export function consentRequired(
  app: Pick<InteractionClient, "clientType" | "skipConsent" | "bypassConsentForOfflineAccess">,
  params: Pick<AuthorizationParams, "scopes" | "prompt">,
  granted: readonly string[] | null,
): boolean {
  if (params.prompt.includes("consent")) return true;
  const missing = params.scopes.filter((s) => !granted?.includes(s));
  if (granted !== null && missing.length === 0) return false;
  if (policyFor(app.clientType).consentSkippable && app.skipConsent) {
    return missing.includes("offline_access") && !app.bypassConsentForOfflineAccess;
  }
  return true;
}
