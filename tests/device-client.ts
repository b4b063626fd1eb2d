import { decodeJwt } from "jose";
import { createApp } from "@/lib/clients/apps";
import { DEVICE_CODE_GRANT } from "@/lib/clients/policy";
import type { AuthSession } from "@/lib/oauth/authorize/flow";
import { withClock } from "@/lib/oauth/context";
import { handleDeviceAuthorizationRequest } from "@/lib/oauth/device/device-authorization";
import { decideDevice, devicePage } from "@/lib/oauth/device/verification";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";
import type { OAuthTestDb } from "./oauth-client";

/**
 * A device-flow client for integration tests (RFC 8628): it starts a device
 * authorization and polls the token endpoint as a CLI does; `decide` is the
 * user on the /device page. Public (client_id only) unless the settings say
 * another type, then it authenticates with its secret.
 */
export async function deviceClient(db: OAuthTestDb, settings: Record<string, unknown> = {}) {
  const { app, clientSecret } = await createApp(
    db.prisma,
    { type: "system", id: null, label: "test" },
    {
      client_type: "first_party_public",
      name: "TV app",
      device_flow_enabled: true,
      allowed_scopes: ["openid", "profile", "email", "offline_access"],
      ...settings,
    },
    "api",
  );
  const authorization = clientSecret ? `Basic ${Buffer.from(`${app.client_id}:${clientSecret}`).toString("base64")}` : null;
  const form = (extra: Record<string, string>) => new URLSearchParams({ ...(clientSecret ? {} : { client_id: app.client_id }), ...extra });
  return {
    clientId: app.client_id,
    start: (extra: Record<string, string> = {}, now = new Date()) =>
      handleDeviceAuthorizationRequest(withClock(db.oauth, now), { authorization, form: form(extra) }),
    /** A poll; `dpop`: its DPoP header. */
    poll: (deviceCode: string, now = new Date(), dpop?: string) =>
      handleTokenRequest(withClock(db.oauth, now), { authorization, form: form({ grant_type: DEVICE_CODE_GRANT, device_code: deviceCode }), dpop }),
  };
}

/** A public client's poll through another instance's context (the same app seen by another server). */
export function pollAs(db: OAuthTestDb, clientId: string, deviceCode: string, now = new Date()) {
  return handleTokenRequest(withClock(db.oauth, now), {
    authorization: null,
    form: new URLSearchParams({ client_id: clientId, grant_type: DEVICE_CODE_GRANT, device_code: deviceCode }),
  });
}

/** The user on /device: opens the page with the code and presses Allow or Deny; returns where the browser is sent. */
export async function decide(db: OAuthTestDb, session: AuthSession, userCode: string, decision: "allow" | "deny", now = new Date()) {
  const ctx = withClock(db.oauth, now);
  const page = await devicePage(ctx, { userCode }, session);
  if (page.type !== "confirm") throw new Error(`expected the confirmation, got ${JSON.stringify(page)}`);
  return (await decideDevice(ctx, { authorizationId: page.view.requestId, csrfToken: page.view.csrfToken, decision }, session)).location;
}

/** The claims of a JWT (no verification: the tests read what was issued). */
export const claimsOf = (jwt: string) => decodeJwt(jwt);
