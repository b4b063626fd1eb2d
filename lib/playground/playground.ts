import { getApp } from "../clients/apps";
import type { AppView } from "../clients/app-view";
import type { PrismaClient } from "../db/generated/client.ts";
import type { OAuthContext } from "../oauth/context";
import { playgroundAuthorizationUrl, playgroundScopes } from "./authorization-url";
import { newFlow, openFlow, PlaygroundError } from "./flow-state";
import { playgroundRedirectUri, playgroundStatus } from "./playground-uri";
import { tokenReport, type TokenReport } from "./token-report";
import { exchangeCode, refreshTokens, type PlaygroundClient, type ProtocolRefusal } from "./token-requests";

/** The app of a playground step, which must have the playground on and a way to authenticate that the playground has. */
async function playgroundApp(prisma: PrismaClient, clientId: string, options: { issuer: string; development: boolean }): Promise<AppView> {
  const app = await getApp(prisma, clientId);
  if (!app) throw new PlaygroundError("This app no longer exists. It may have been deleted.");
  const status = playgroundStatus(app, options);
  if (!status.on) throw new PlaygroundError("The playground is off for this app: its callback is not among the app's redirect URIs. Turn it on from the app's page.");
  if (status.keyAuthentication) throw new PlaygroundError("This app authenticates with private_key_jwt: the playground does not hold its private key.");
  return app;
}

/**
 * "Try sign-in": a new flow for the owner and the app's authorization
 * request. The caller puts `sealed` in the playground cookie and sends the
 * browser to `location`.
 */
export async function startPlayground(
  prisma: PrismaClient,
  input: { clientId: string; ownerId: string; now: Date },
  options: { issuer: string; development: boolean; key: Buffer },
): Promise<{ location: string; sealed: string }> {
  const app = await playgroundApp(prisma, input.clientId, options);
  const { flow, sealed } = newFlow({ clientId: app.client_id, ownerId: input.ownerId, now: input.now }, options.key);
  const location = await playgroundAuthorizationUrl(options.issuer, flow, playgroundRedirectUri(options.issuer), playgroundScopes(app.allowed_scopes));
  return { location, sealed };
}

/** What the callback got from the authorization endpoint (RFC 6749 §4.1.2 and §4.1.2.1). */
export interface CallbackParams {
  code: string | null;
  state: string | null;
  error: string | null;
  error_description: string | null;
}

export type PlaygroundOutcome =
  | { ok: true; clientId: string; report: TokenReport; nonce: string | null }
  | ({ ok: false; step: "authorization" | "token" } & ProtocolRefusal);

/**
 * The callback's exchange: the flow the cookie carries (checked against the
 * callback's state and the owner; the caller deletes the cookie whatever
 * happens), then the code exchanged at the token endpoint as the app
 * (its registered authentication, the pasted secret for this request only)
 * and the tokens reported. The authorization server's own refusal (say,
 * access_denied) is shown as it came.
 */
export async function finishPlayground(
  ctx: OAuthContext,
  prisma: PrismaClient,
  input: { cookie: string | undefined; params: CallbackParams; ownerId: string; clientSecret: string | null },
  options: { development: boolean; key: Buffer },
): Promise<PlaygroundOutcome> {
  const flow = openFlow(input.cookie, { state: input.params.state, ownerId: input.ownerId, now: ctx.clock() }, options.key);
  if (input.params.error) return { ok: false, step: "authorization", error: input.params.error, error_description: input.params.error_description ?? "" };
  if (!input.params.code) throw new PlaygroundError("The callback carries neither a code nor an error. Start again from the app's page.");
  const app = await playgroundApp(prisma, flow.clientId, { issuer: ctx.issuer, development: options.development });
  const client = clientOf(app, input.clientSecret);
  const answer = await exchangeCode(ctx, client, { code: input.params.code, redirectUri: playgroundRedirectUri(ctx.issuer), codeVerifier: flow.codeVerifier });
  if (!answer.ok) return { ok: false, step: "token", error: answer.error, error_description: answer.error_description };
  const nonce = answer.value.id_token ? flow.nonce : null;
  // The nonce was sent with openid only; without an ID token there is nothing to check it against.
  return { ok: true, clientId: app.client_id, report: await tokenReport(ctx, client, answer.value, { value: nonce, required: true }), nonce };
}

/** "Refresh": the refresh grant as the app, and the new tokens reported (`nonce`: the first ID token's, OIDC Core §12.2). */
export async function refreshPlayground(
  ctx: OAuthContext,
  prisma: PrismaClient,
  input: { clientId: string; refreshToken: string; clientSecret: string | null; nonce: string | null },
  options: { development: boolean },
): Promise<PlaygroundOutcome> {
  const app = await playgroundApp(prisma, input.clientId, { issuer: ctx.issuer, development: options.development });
  const client = clientOf(app, input.clientSecret);
  const answer = await refreshTokens(ctx, client, input.refreshToken);
  if (!answer.ok) return { ok: false, step: "token", error: answer.error, error_description: answer.error_description };
  return { ok: true, clientId: app.client_id, report: await tokenReport(ctx, client, answer.value, { value: input.nonce, required: false }), nonce: input.nonce };
}

const clientOf = (app: AppView, clientSecret: string | null): PlaygroundClient => ({
  clientId: app.client_id,
  authMethod: app.token_endpoint_auth_method,
  clientSecret: clientSecret || null,
});
