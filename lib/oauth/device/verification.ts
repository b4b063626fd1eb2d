import { formToken, formTokenValid } from "../../crypto/form-token";
import { isUuid } from "../../crypto/uuid";
import { consentDetails, type AuthSession, type ConsentView } from "../authorize/flow";
import { recordConsentGranted } from "../authorize/consent-audit";
import { UNKNOWN_SIGN_IN } from "../codes";
import type { OAuthContext } from "../context";
import type { DeviceAuthorizationRecord, InteractionClient } from "../store";
import { DEVICE_PATH } from "./device-authorization";
import { countWrongCode, mayGuess } from "./guess-limit";
import { formatUserCode, normalizeUserCode, USER_CODE_PURPOSE, userCodeHash } from "./user-code";

/** The device page's confirmation: the consent screen's view, for a device authorization, and the code it is for. */
export interface DeviceConsentView extends ConsentView {
  userCode: string;
}

/** What the /device page shows, or where the browser goes instead. */
export type DevicePage =
  | { type: "redirect"; location: string }
  | { type: "enter"; userCode: string; message: string | null }
  | { type: "confirm"; view: DeviceConsentView };

/** How a decision ended, for the page it redirects to (`?result=`). */
export const DEVICE_RESULTS = {
  approved: "Your device is connected. You can return to it now.",
  denied: "You denied the request. Your device will not get access.",
  gone: "This code can no longer be used: it expired or was already answered. Start again on your device.",
  form: "The form has expired. Enter the code again.",
} as const;
export type DeviceResult = keyof typeof DEVICE_RESULTS;

const MESSAGES = {
  malformed: "A code has 8 letters, like BCDF-GHJK. Check the code your device shows.",
  wrong: "That code is not valid. Check the code your device shows and try again.",
  gone: DEVICE_RESULTS.gone,
  unavailable: "This app can no longer connect devices.",
  limited: "Too many wrong codes. Wait a quarter of an hour, then try again.",
};

const CSRF_PURPOSE = "device-csrf";

/** Sign-in and back to the page, keeping the code (as /oauth2/authorize sends to /signin and back). */
function signInFirst(userCode: string | undefined): { type: "redirect"; location: string } {
  const back = userCode ? `${DEVICE_PATH}?user_code=${encodeURIComponent(userCode)}` : DEVICE_PATH;
  return { type: "redirect", location: `/signin?callbackUrl=${encodeURIComponent(back)}` };
}

/** A session whose user still exists, else null (the user was deleted since signing in). */
async function liveSession(ctx: OAuthContext, session: AuthSession | null): Promise<AuthSession | null> {
  return session && (await ctx.store.findUser(session.userId)) ? session : null;
}

/** Whether a device authorization can still be decided, and its app still uses the device flow. */
async function openAuthorization(
  ctx: OAuthContext,
  a: DeviceAuthorizationRecord | null,
  now: Date,
): Promise<{ ok: true; app: InteractionClient; authorization: DeviceAuthorizationRecord } | { ok: false; reason: "wrong" | "gone" | "unavailable" }> {
  if (!a) return { ok: false, reason: "wrong" };
  if (a.decision !== null || a.expiresAt <= now) return { ok: false, reason: "gone" };
  const app = await ctx.store.interactionClientById(a.appId);
  if (!app || !app.active || !app.deviceFlowEnabled) return { ok: false, reason: "unavailable" };
  return { ok: true, app, authorization: a };
}

/**
 * `GET /device` (RFC 8628 §3.3): the signed-in user types the code their
 * device shows, or arrives with it (verification_uri_complete); a code
 * that matches nothing counts against the guess limits. A valid one shows
 * the app and scopes as the consent page does, always with an Allow to
 * click, whatever the app's consent settings: the user must confirm the
 * device, or a link with someone else's code would connect it unseen
 * (RFC 8628 §5.4).
 */
export async function devicePage(ctx: OAuthContext, input: { userCode: string | undefined }, session: AuthSession | null, now = ctx.clock()): Promise<DevicePage> {
  // Longer than any code with separators: kept short, as it goes into a URL and back onto the page.
  const typed = input.userCode?.trim().slice(0, 64) || undefined;
  session = await liveSession(ctx, session);
  if (!session) return signInFirst(typed);
  if (!typed) return { type: "enter", userCode: "", message: null };
  const enter = (message: string): DevicePage => ({ type: "enter", userCode: typed.slice(0, 20), message });
  const code = normalizeUserCode(typed);
  if (!code) return enter(MESSAGES.malformed);
  if (!(await mayGuess(ctx, session.userId, now))) return enter(MESSAGES.limited);
  const a = await ctx.store.deviceAuthorizationByUserCode(userCodeHash(ctx.keyFor(USER_CODE_PURPOSE), code));
  const open = await openAuthorization(ctx, a, now);
  if (!open.ok) {
    // Only a code that never existed is a guess; an expired or answered one was the user's own.
    if (open.reason === "wrong") await countWrongCode(ctx, session.userId, now);
    return enter(MESSAGES[open.reason]);
  }
  const { app, authorization } = open;
  const choice = await ctx.store.scopeChoice(session.userId, authorization.scopes);
  return {
    type: "confirm",
    view: {
      requestId: authorization.id,
      csrfToken: formToken(ctx.keyFor(CSRF_PURPOSE), [authorization.id, session.userId]),
      userCode: formatUserCode(code),
      // Signing in again as someone else comes back to this code.
      switchAccountPath: signInFirst(formatUserCode(code)).location,
      // No redirect: the tokens go to the device that polls.
      ...consentDetails(app, choice, { redirectHost: null, localhostOnly: false }),
    },
  };
}

/**
 * `POST /device/decision`: Allow or Deny, CSRF-checked and bound to the
 * user. Allowing grants what the user can grant of what the device asked
 * (read again now) and records how they signed in, for the ID token.
 */
export async function decideDevice(
  ctx: OAuthContext,
  input: { authorizationId: string | undefined; csrfToken: string | undefined; decision: "allow" | "deny" },
  session: AuthSession | null,
  now = ctx.clock(),
): Promise<{ location: string }> {
  const result = (r: DeviceResult) => ({ location: `${DEVICE_PATH}?result=${r}` });
  session = await liveSession(ctx, session);
  if (!session) return signInFirst(undefined);
  const id = input.authorizationId;
  if (!id || !isUuid(id) || !formTokenValid(input.csrfToken, ctx.keyFor(CSRF_PURPOSE), [id, session.userId])) return result("form");
  const open = await openAuthorization(ctx, await ctx.store.deviceAuthorization(id), now);
  if (!open.ok) return result("gone");
  const approve = input.decision === "allow";
  const grantedScopes = approve ? (await ctx.store.scopeChoice(session.userId, open.authorization.scopes)).grantable : [];
  const decided = await ctx.store.decideDeviceAuthorization({
    id,
    decision: approve ? "approved" : "denied",
    userId: session.userId,
    grantedScopes,
    authTime: session.authTime,
    signIn: session.signIn ?? UNKNOWN_SIGN_IN,
    now,
  });
  if (!decided) return result("gone");
  if (approve) ctx.activity.count(open.app.id, "consent", now);
  if (approve) await recordConsentGranted(ctx, session.userId, open.app, grantedScopes, "device");
  return result(approve ? "approved" : "denied");
}
