import type { TokenEndpointAuthMethod } from "../clients/policy";
import type { OAuthContext } from "../oauth/context";
import type { TokenResponse } from "../oauth/grants/issue-tokens";
import { OAuthError } from "../oauth/oauth-error";
import { handleTokenRequest, type FormRequest } from "../oauth/token-endpoint";
import { PlaygroundError } from "./flow-state";

/** How the playground authenticates as the app: as the app's registration says, with the secret the owner pasted (confidential apps). */
export interface PlaygroundClient {
  clientId: string;
  authMethod: TokenEndpointAuthMethod;
  /** Held in memory for this one request; never stored or logged. */
  clientSecret: string | null;
}

/** An OAuth error answer, as a client receives it (RFC 6749 §5.2). */
export interface ProtocolRefusal {
  error: string;
  error_description: string;
}

export type Answer<T> = { ok: true; value: T } | ({ ok: false } & ProtocolRefusal);

/** RFC 6749 §2.3.1: Basic credentials are form-encoded first. */
const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");

/**
 * A token-endpoint request from the playground, with the app's registered
 * client authentication (RFC 6749 §2.3.1): Basic or form secret for a
 * confidential app, client_id alone for a public one.
 */
export function clientRequest(client: PlaygroundClient, params: Record<string, string>): FormRequest {
  const form = new URLSearchParams(params);
  if (client.authMethod === "private_key_jwt") throw new PlaygroundError("This app authenticates with private_key_jwt: the playground does not hold its private key.");
  if (client.authMethod === "none") {
    form.set("client_id", client.clientId);
    return { authorization: null, form, dpop: null };
  }
  if (!client.clientSecret) throw new PlaygroundError("Paste the app's client secret: a confidential app authenticates at the token endpoint.");
  if (client.authMethod === "client_secret_post") {
    form.set("client_id", client.clientId);
    form.set("client_secret", client.clientSecret);
    return { authorization: null, form, dpop: null };
  }
  const basic = Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`).toString("base64");
  return { authorization: `Basic ${basic}`, form, dpop: null };
}

/** Runs a protocol call as a client sees it: the value, or the RFC 6749 error it was refused with. */
export async function answerOf<T>(call: Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    if (error instanceof OAuthError) return { ok: false, error: error.code, error_description: error.description };
    throw error;
  }
}

/** RFC 6749 §4.1.3 with RFC 7636 §4.5: the code, the redirect URI it was issued for, the verifier. */
export function exchangeCode(ctx: OAuthContext, client: PlaygroundClient, input: { code: string; redirectUri: string; codeVerifier: string }): Promise<Answer<TokenResponse>> {
  const request = clientRequest(client, { grant_type: "authorization_code", code: input.code, redirect_uri: input.redirectUri, code_verifier: input.codeVerifier });
  return answerOf(handleTokenRequest(ctx, request));
}

/** RFC 6749 §6: the refresh grant, as the app would send it. */
export function refreshTokens(ctx: OAuthContext, client: PlaygroundClient, refreshToken: string): Promise<Answer<TokenResponse>> {
  return answerOf(handleTokenRequest(ctx, clientRequest(client, { grant_type: "refresh_token", refresh_token: refreshToken })));
}
