import { credentialKind, policyFor, type ClientType, type TokenEndpointAuthMethod } from "../clients/policy";
import { redirectUriProblem } from "../clients/redirect-uris";

/**
 * The playground's one callback on this server, shared by every app (the
 * sealed flow state names the app). Outside the dashboard: whoever signs in
 * during the flow (the owner or another account) comes back to it; the flow
 * cookie, which only an owner can get, is what lets the page go on.
 */
export const PLAYGROUND_CALLBACK_PATH = "/playground/callback";

/** The redirect URI an app registers while its playground is on. */
export const playgroundRedirectUri = (issuer: string) => `${issuer}${PLAYGROUND_CALLBACK_PATH}`;

/** What the playground panel of an app shows. */
export interface PlaygroundStatus {
  /** The app's redirect URIs hold the playground's callback. */
  on: boolean;
  /** The playground's callback as this server would register it. */
  redirectUri: string;
  /** Why the app's type refuses the callback (its redirect-URI rule), or null when it may be registered. */
  refusal: string | null;
  /** A third-party app: turning the playground on needs the owner's explicit confirmation. */
  needsConfirmation: boolean;
  /** The app authenticates with a key (private_key_jwt): the playground cannot sign its token requests. */
  keyAuthentication: boolean;
  /** A confidential app: the owner pastes the client secret for each token request. */
  needsSecret: boolean;
}

export function playgroundStatus(
  app: { client_type: ClientType; redirect_uris: readonly string[]; token_endpoint_auth_method: TokenEndpointAuthMethod },
  options: { issuer: string; development: boolean },
): PlaygroundStatus {
  const policy = policyFor(app.client_type);
  const redirectUri = playgroundRedirectUri(options.issuer);
  const problem = redirectUriProblem(redirectUri, policy.redirectUris, options);
  return {
    on: app.redirect_uris.includes(redirectUri),
    redirectUri,
    refusal: problem && `${redirectUri} ${problem}`,
    needsConfirmation: policy.ownership === "third_party",
    keyAuthentication: credentialKind(app.token_endpoint_auth_method) === "key",
    needsSecret: credentialKind(app.token_endpoint_auth_method) === "secret",
  };
}
