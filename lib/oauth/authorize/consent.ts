import { policyFor } from "../../clients/policy";
import type { ConnectedApp, Prisma } from "../../db/generated/client.ts";
import type { AuthorizationParams } from "./request";

/**
 * Whether the user must be asked (DESIGN.md policy table, "consent"):
 * `prompt=consent` always asks; a remembered grant that covers every
 * requested scope does not; a first-party app set to skip consent does not,
 * except for a new `offline_access` unless the app bypasses that too;
 * third-party apps are asked for anything not yet granted.
 */
export function consentRequired(
  app: Pick<ConnectedApp, "clientType" | "skipConsent" | "bypassConsentForOfflineAccess">,
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

/** Records what the user has authorized: the union with earlier grants (one row per user and app). */
export async function recordGrant(tx: Prisma.TransactionClient, userId: string, appId: string, scopes: string[]): Promise<void> {
  const existing = await tx.grant.findUnique({ where: { userId_appId: { userId, appId } }, select: { scopes: true } });
  if (existing && scopes.every((s) => existing.scopes.includes(s))) return;
  const union = [...new Set([...(existing?.scopes ?? []), ...scopes])];
  await tx.grant.upsert({
    where: { userId_appId: { userId, appId } },
    create: { userId, appId, scopes: union },
    update: { scopes: union },
  });
}
