import { getApp } from "../clients/apps";
import type { AppView } from "../clients/app-view";
import type { PrismaClient } from "../db/generated/client.ts";
import type { OAuthContext } from "../oauth/context";
import { playgroundAuthorizationUrl, playgroundScopes } from "./authorization-url";
import { newFlow, openFlow, openSpentFlow, PlaygroundError, spentFlow, type PlaygroundFlow } from "./flow-state";
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

/** The flow's owner must still be an owner: demoting one ends their playground sign-ins. */
async function checkOwner(prisma: PrismaClient, flow: PlaygroundFlow): Promise<void> {
  const user = await prisma.user.findUnique({ where: { id: flow.ownerId }, select: { role: true } });
  if (user?.role !== "owner") throw new PlaygroundError("The owner who started this playground sign-in is no longer an owner.");
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
 * callback's state; its owner still an owner), then the code exchanged at
 * the token endpoint as the app (its registered authentication, the pasted
 * secret for this request only) and the tokens reported. The authorization
 * server's own refusal (say, access_denied) is shown as it came. `cookie`:
 * the used flow the caller puts in place of the cookie, which allows
 * refreshes and nothing else. A refusal before that (PlaygroundError)
 * leaves the cookie as it was.
 */
export async function finishPlayground(
  ctx: OAuthContext,
  prisma: PrismaClient,
  input: { cookie: string | undefined; params: CallbackParams; clientSecret: string | null },
  options: { development: boolean; key: Buffer },
): Promise<{ outcome: PlaygroundOutcome; cookie: string }> {
  const flow = openFlow(input.cookie, { state: input.params.state, now: ctx.clock() }, options.key);
  await checkOwner(prisma, flow);
  const cookie = spentFlow(flow, ctx.clock(), options.key);
  if (input.params.error) return { outcome: { ok: false, step: "authorization", error: input.params.error, error_description: input.params.error_description ?? "" }, cookie };
  if (!input.params.code) throw new PlaygroundError("The callback carries neither a code nor an error. Start again with Try sign-in on the app's page.");
  const app = await playgroundApp(prisma, flow.clientId, { issuer: ctx.issuer, development: options.development });
  const client = clientOf(app, input.clientSecret);
  const answer = await exchangeCode(ctx, client, { code: input.params.code, redirectUri: playgroundRedirectUri(ctx.issuer), codeVerifier: flow.codeVerifier });
  if (!answer.ok) return { outcome: { ok: false, step: "token", error: answer.error, error_description: answer.error_description }, cookie };
  // The nonce was sent with openid only; without an ID token there is nothing to check it against.
  const nonce = answer.value.id_token ? flow.nonce : null;
  return { outcome: { ok: true, clientId: app.client_id, report: await tokenReport(ctx, client, answer.value, { value: nonce, required: true }), nonce }, cookie };
}

/**
 * "Refresh": the refresh grant as the app, for the flow the callback used
 * (the cookie names the app and the owner), and the new tokens reported
 * (`nonce`: the first ID token's, OIDC Core §12.2).
 */
export async function refreshPlayground(
  ctx: OAuthContext,
  prisma: PrismaClient,
  input: { cookie: string | undefined; refreshToken: string; clientSecret: string | null; nonce: string | null },
  options: { development: boolean; key: Buffer },
): Promise<PlaygroundOutcome> {
  const flow = openSpentFlow(input.cookie, ctx.clock(), options.key);
  await checkOwner(prisma, flow);
  const app = await playgroundApp(prisma, flow.clientId, { issuer: ctx.issuer, development: options.development });
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
