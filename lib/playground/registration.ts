import type { Actor } from "../audit";
import { appNotFound, ofKind, writeAppChanges } from "../clients/apps";
import { parseUpdateInput, type InputRules } from "../clients/app-input";
import { settingsOf } from "../clients/app-view";
import { policyFor } from "../clients/policy";
import type { PrismaClient } from "../db/generated/client.ts";
import { conflictError } from "../domain-error";
import { playgroundRedirectUri } from "./playground-uri";

export interface PlaygroundSwitch {
  on: boolean;
  /** The owner confirmed turning it on for a third-party app (required for those). */
  confirmThirdParty?: boolean;
}

/**
 * Turns an app's playground on (its callback joins the redirect URIs) or off
 * (it leaves them). The change goes through the same validation and write
 * path as any redirect-URI edit, so the app type's rule applies, users'
 * remembered consent is reset as for any new redirect URI, and the audit
 * entry says `playground: on|off`. Idempotent: nothing changes, nothing is
 * recorded, when it already is as asked.
 */
export async function switchPlayground(
  prisma: PrismaClient,
  actor: Actor,
  clientId: string,
  input: PlaygroundSwitch,
  rules: InputRules & { issuer: string },
): Promise<{ changed: boolean }> {
  const current = await prisma.connectedApp.findUnique({ where: { clientId, ...ofKind("connected_app") } });
  if (!current) throw appNotFound(clientId);
  const uri = playgroundRedirectUri(rules.issuer);
  const has = current.redirectUris.includes(uri);
  if (has === input.on) return { changed: false };
  // A third-party app belongs to another developer: this server's callback is not theirs to have unless the owner says so.
  if (input.on && policyFor(current.clientType).ownership === "third_party" && input.confirmThirdParty !== true) {
    throw conflictError("This is a third-party app: confirm that its redirect URIs may include this server's playground callback.");
  }
  const redirect_uris = input.on ? [...current.redirectUris, uri] : current.redirectUris.filter((u) => u !== uri);
  const changes = parseUpdateInput(current.clientType, settingsOf(current), { redirect_uris }, rules);
  await writeAppChanges(prisma, actor, current, changes, { audit: { playground: input.on ? "on" : "off" } });
  return { changed: true };
}
