import { userActor } from "../../audit";
import type { OAuthContext } from "../context";

/**
 * Records that a user approved an app on the consent page or the device
 * page (`consent.granted`): the app, what was granted and where. Not
 * recorded when consent was skipped (nothing was asked).
 */
export async function recordConsentGranted(
  ctx: OAuthContext,
  userId: string,
  app: { clientId: string },
  scopes: readonly string[],
  via: "consent_page" | "device",
): Promise<void> {
  const user = await ctx.store.findUser(userId);
  await ctx.store.recordAudit({
    actor: userActor({ id: userId, email: user?.email ?? userId }),
    action: "consent.granted",
    targetId: app.clientId,
    details: { client_id: app.clientId, scopes: scopes.join(" "), via },
  });
}
