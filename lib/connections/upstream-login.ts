import { createHmac } from "node:crypto";
import * as oauth from "oauth4webapi";
import { derivedKey } from "../crypto/pepper";
import { hashToken, randomToken } from "../crypto/tokens";
import type { PrismaClient } from "../db/generated/client.ts";
import { safeReturnPath } from "../safe-return-path";
import { connectionCallbackPath, upstreamConnection, type UpstreamConnection } from "./connections";
import { connectionSlug } from "./input";
import { upstreamServer, type PresetEndpoints, type UpstreamServer } from "./upstream-discovery";

/** How long a sign-in may stay at the upstream before its state is refused. */
export const UPSTREAM_LOGIN_TTL_S = 10 * 60;
/**
 * Pending upstream logins kept at most: anyone can start one, so a flood
 * evicts the oldest (as pending authorization requests do) rather than
 * growing the table until housekeeping catches up.
 */
export const UPSTREAM_LOGINS_MAX = 10_000;
/** The browser-binding cookie's name prefix (one cookie per login, named after its state's hash, so two tabs do not collide). */
export const UPSTREAM_BINDING_PREFIX = "ca_upstream_";
/** The binding cookie is sent only to the connections' routes. */
export const UPSTREAM_BINDING_PATH = "/signin/connections/";

/** HMAC purposes: the PKCE verifier and the nonce follow from the state, so neither is stored. */
const VERIFIER_PURPOSE = "upstream-login-pkce-verifier";
const NONCE_PURPOSE = "upstream-login-nonce";

const derive = (purpose: string, state: string) => createHmac("sha256", derivedKey(purpose)).update(state).digest("base64url");

/** RFC 7636 §4.1: 43 base64url characters, from the state (only the server secret's holder can compute it). */
export const codeVerifierFor = (state: string) => derive(VERIFIER_PURPOSE, state);
/** OIDC Core §3.1.2.1: the nonce the upstream's ID token must carry. */
export const nonceFor = (state: string) => derive(NONCE_PURPOSE, state);

/** The binding cookie's name for a login (a prefix of its state's hash: not the state itself). */
export const bindingCookieName = (state: string) => `${UPSTREAM_BINDING_PREFIX}${hashToken(state).slice(0, 16)}`;

/** The redirect URI registered at the upstream for a connection. */
export const upstreamRedirectUri = (issuer: string, slug: string) => `${issuer}${connectionCallbackPath(slug)}`;

export type StartOutcome =
  | { type: "redirect"; location: string; cookie: { name: string; value: string; maxAge: number } }
  | { type: "unavailable" };

export interface StartInput {
  slug: string;
  /** Where to go once signed in; anything but a path on this site falls back to /account. */
  returnTo: string | null;
  /** This server's issuer (the redirect URI's origin). */
  issuer: string;
  now: Date;
  /** The authorization waiting for this sign-in asked for a fresh sign-in (prompt=login): the upstream is asked too. */
  reauthenticate?: boolean;
  /** UPSTREAM_LOGINS_MAX unless a test says otherwise. */
  maxPending?: number;
}

/**
 * `GET /signin/connections/{slug}/start`: stores a pending upstream login
 * (the state's hash, the connection, the return path, the binding cookie's
 * hash) and sends the browser to the upstream's authorization endpoint with
 * state, PKCE (S256) and, for OpenID Connect, a nonce. An unknown or
 * disabled connection is "unavailable".
 */
export async function startUpstreamLogin(
  prisma: PrismaClient,
  input: StartInput,
  presetEndpoints?: PresetEndpoints,
): Promise<StartOutcome> {
  // A slug that cannot be one (NUL, any length) is not looked up.
  const connection = connectionSlug.safeParse(input.slug).success ? await upstreamConnection(prisma, input.slug) : null;
  if (!connection) return { type: "unavailable" };
  const server = await upstreamServer(connection, presetEndpoints);
  const state = randomToken(32);
  const binding = randomToken(32);
  await prisma.upstreamLogin.create({
    data: {
      stateHash: hashToken(state),
      connectionId: connection.id,
      returnPath: safeReturnPath(input.returnTo),
      bindingHash: hashToken(binding),
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + UPSTREAM_LOGIN_TTL_S * 1000),
    },
  });
  await evictBeyond(prisma, input.maxPending ?? UPSTREAM_LOGINS_MAX);
  return {
    type: "redirect",
    location: await authorizationUrl(server, connection, upstreamRedirectUri(input.issuer, connection.slug), state, input.reauthenticate === true),
    cookie: { name: bindingCookieName(state), value: binding, maxAge: UPSTREAM_LOGIN_TTL_S },
  };
}

async function authorizationUrl(
  server: UpstreamServer,
  connection: UpstreamConnection,
  redirectUri: string,
  state: string,
  reauthenticate: boolean,
): Promise<string> {
  const url = new URL(server.as.authorization_endpoint!);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", connection.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("scope", connection.scopes.join(" "));
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(codeVerifierFor(state)));
  url.searchParams.set("code_challenge_method", "S256");
  if (server.protocol === "oidc") url.searchParams.set("nonce", nonceFor(state));
  // OIDC Core §3.1.2.1: otherwise the upstream's own session could answer a prompt=login without the user signing in.
  if (server.protocol === "oidc" && reauthenticate) url.searchParams.set("prompt", "login");
  return url.toString();
}

/** A pending login as the callback spends it. */
export interface SpentLogin {
  connectionId: string;
  returnPath: string;
  bindingHash: string;
  expiresAt: Date;
}

/**
 * Spends the login a state names: one conditional DELETE … RETURNING, so of
 * concurrent callbacks with one state exactly one gets the row (the others
 * find it gone). Null when unknown or already spent; an expired row is
 * returned (and gone), for the caller to refuse.
 */
export async function spendUpstreamLogin(prisma: PrismaClient, state: string): Promise<SpentLogin | null> {
  const rows = await prisma.$queryRaw<{ connection_id: string; return_path: string; binding_hash: string; expires_at: Date }[]>`
    DELETE FROM upstream_logins WHERE state_hash = ${hashToken(state)}
    RETURNING connection_id::text AS connection_id, return_path, binding_hash, expires_at`;
  const row = rows[0];
  return row ? { connectionId: row.connection_id, returnPath: row.return_path, bindingHash: row.binding_hash, expiresAt: new Date(row.expires_at) } : null;
}

/** Deletes the logins that expire soonest beyond the newest `max` (walks the expires_at index; a cold path: a person clicked). */
async function evictBeyond(prisma: PrismaClient, max: number): Promise<void> {
  await prisma.$executeRaw`
    DELETE FROM upstream_logins WHERE state_hash = ANY (ARRAY(
      SELECT state_hash FROM upstream_logins ORDER BY expires_at DESC, state_hash OFFSET ${max}))`;
}
