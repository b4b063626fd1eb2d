import { recordAudit, type Actor } from "../audit";
import { hashToken, randomToken, safeEqual } from "../crypto/tokens";
import { isUniqueViolation } from "../db/unique-violation";
import type { ConnectedApp, PrismaClient } from "../db/generated/client.ts";
import { bearerError, parseBearerHeader } from "../oauth/bearer-header";
import { OAuthError } from "../oauth/oauth-error";
import { hitRateLimit, sourceBucket } from "../rate-limit";
import { isUnstorable } from "../text";
import { getProjectSettings } from "../settings";
import { parseCreateInput } from "./app-input";
import { insertApp, writeAppChanges } from "./apps";
import type { Config } from "../config";
import type { DcrConfig } from "./dcr-config";
import { appInputOf, clientInformation, dedupKey, extraColumnsOf, parseDcrMetadata, type DcrMetadata } from "./dcr-metadata";
import { translatingInvalidInput } from "../domain-error";
import { credentialKind, policyFor, type TokenEndpointAuthMethod } from "./policy";
import { secretMatches } from "./secrets";
import { announcing } from "../db/local-changes";

/** Who acts in the audit log for self-registrations. */
export const DCR_ACTOR: Actor = { type: "system", id: null, label: "dynamic registration" };

export const REGISTRATION_PATH = "/oauth2/register";

/** What the route hands over: headers and the body read under the size cap (null when over it). */
export interface RegistrationRequest {
  headers: Headers;
  body: Buffer | null;
}

interface Context {
  prisma: PrismaClient;
  /** The server's one configuration: issuer, the DCR limits, TRUST_PROXY, development mode. */
  config: Config;
  now?: Date;
}

const registrationUri = (issuer: string, clientId: string) => `${issuer}${REGISTRATION_PATH}/${encodeURIComponent(clientId)}`;

/**
 * `POST /oauth2/register` (RFC 7591 §3) as named steps: DCR enabled → initial
 * access token (when configured) → body → metadata → rate limit → store.
 * Only registrations that create a client count against the limit: refused
 * metadata and deduplicated public registrations do not, so a flood of bad
 * requests cannot block everyone else's onboarding. Public registrations are
 * deduplicated (see registerPublic). Returns the 201 body.
 */
export async function register(ctx: Context, request: RegistrationRequest): Promise<Record<string, unknown>> {
  await assertDcrEnabled(ctx.prisma);
  assertInitialAccessToken(ctx.config.dcr, request.headers.get("authorization"));
  const metadata = parseDcrMetadata(parseJsonBody(request.body, ctx.config.dcr.maxBodyBytes), ctx.config.dcr.maxRedirectUris);
  const settings = validated(ctx, metadata);
  const registerAs = policyFor(metadata.clientType).confidential ? registerConfidential : registerPublic;
  return registerAs(ctx, metadata, settings, request.headers);
}

/** RFC 7592 §2.1: the client information of `clientId`, for the holder of its registration access token. */
export async function readRegistration(ctx: Context, clientId: string, authorization: string | null) {
  await assertDcrEnabled(ctx.prisma);
  const app = await authenticateRegistration(ctx.prisma, clientId, authorization);
  return clientInformation(app, registrationUri(ctx.config.issuer, clientId));
}

/**
 * RFC 7592 §2.2: replaces the metadata (validated as at registration; the
 * client type cannot change). An updated client leaves the deduplication
 * pool, and a change of redirect URIs forgets the users' remembered consent,
 * so nobody is sent to a new redirect URI without being asked again.
 */
export async function updateRegistration(ctx: Context, clientId: string, request: RegistrationRequest) {
  await assertDcrEnabled(ctx.prisma);
  const app = await authenticateRegistration(ctx.prisma, clientId, request.headers.get("authorization"));
  const body = parseJsonBody(request.body, ctx.config.dcr.maxBodyBytes);
  if ((body as { client_id?: unknown }).client_id !== clientId) {
    throw new OAuthError("invalid_client_metadata", "client_id must be present and equal the client being updated");
  }
  // RFC 7592 §2.2: a client_secret in the body must be the one issued (it cannot be chosen).
  const sentSecret = (body as { client_secret?: unknown }).client_secret;
  if (sentSecret !== undefined) {
    const hashes = (await ctx.prisma.clientSecret.findMany({ where: { appId: app.id }, select: { secretHash: true } })).map((s) => s.secretHash);
    if (typeof sentSecret !== "string" || !secretMatches(sentSecret, hashes)) {
      throw new OAuthError("invalid_client_metadata", "client_secret does not match the issued secret (secrets cannot be chosen)");
    }
  }
  const metadata = parseDcrMetadata(body, ctx.config.dcr.maxRedirectUris);
  if (metadata.clientType !== app.clientType) {
    throw new OAuthError("invalid_client_metadata", "token_endpoint_auth_method cannot change between public (none) and confidential");
  }
  // A key client has no secret to fall back to, and a secret client's secret would stay usable: register a new client instead.
  if (credentialKind(metadata.authMethod) !== credentialKind(app.tokenEndpointAuthMethod as TokenEndpointAuthMethod)) {
    throw new OAuthError("invalid_client_metadata", "token_endpoint_auth_method cannot change between a client secret and private_key_jwt; register a new client");
  }
  const { settings } = validated(ctx, metadata);
  // The fields a registration carries; the owner's other settings stay. Leaving the dedup pool: the metadata is now this client's own.
  const updated = await asMetadataError(() => writeAppChanges(
    ctx.prisma,
    DCR_ACTOR,
    app,
    {
      name: settings.name,
      redirect_uris: settings.redirect_uris,
      logo_uri: settings.logo_uri,
      client_uri: settings.client_uri,
      allowed_scopes: settings.allowed_scopes,
      token_endpoint_auth_method: settings.token_endpoint_auth_method,
      jwks: settings.jwks,
      jwks_uri: settings.jwks_uri,
    },
    { registration: { ...extraColumnsOf(metadata), dcrDedupKey: null }, audit: { via: "rfc7592" } },
  ));
  return clientInformation(updated, registrationUri(ctx.config.issuer, clientId));
}

/** RFC 7592 §2.3: removes the client (its grants and tokens go with it). */
export async function deleteRegistration(ctx: Context, clientId: string, authorization: string | null): Promise<void> {
  await assertDcrEnabled(ctx.prisma);
  await authenticateRegistration(ctx.prisma, clientId, authorization);
  await announcing("clients", ctx.prisma.$transaction(async (tx) => {
    await tx.connectedApp.deleteMany({ where: { clientId } });
    await recordAudit(tx, DCR_ACTOR, "connected_app.deleted", clientId, { via: "rfc7592" });
  }));
}

/** When the owner has not turned DCR on, the endpoint does not exist: 404 with a JSON body saying so. */
async function assertDcrEnabled(prisma: PrismaClient): Promise<void> {
  if (!(await getProjectSettings(prisma)).dcr_enabled) {
    throw new OAuthError("invalid_request", "Dynamic Client Registration is not enabled on this server", { status: 404 });
  }
}

/** The bearer token of a registration request, or null (none, or malformed: refused alike). */
function bearer(authorization: string | null): string | null {
  const token = parseBearerHeader(authorization);
  return token === "malformed" ? null : token;
}

const invalidToken = (description: string) => bearerError("invalid_token", description);

/** RFC 7591 §3: an initial access token, when the operator configured one. */
function assertInitialAccessToken(config: DcrConfig, authorization: string | null): void {
  if (!config.initialAccessToken) return;
  const presented = bearer(authorization);
  if (!presented || !safeEqual(hashToken(presented), hashToken(config.initialAccessToken))) {
    throw invalidToken("Registration needs a valid initial access token (Authorization: Bearer …)");
  }
}

async function assertWithinRateLimit(ctx: Context, headers: Headers): Promise<void> {
  const key = `dcr:${sourceBucket(headers, ctx.config.trustProxy)}`;
  const result = await hitRateLimit(ctx.prisma, key, ctx.config.dcr.rateLimit, ctx.config.dcr.rateLimitWindowSeconds, ctx.now);
  if (!result.allowed) {
    throw new OAuthError("temporarily_unavailable", "Too many registrations from this source; try again later", {
      status: 429,
      retryAfter: result.retryAfter,
    });
  }
}

function parseJsonBody(body: Buffer | null, maxBytes: number): unknown {
  if (body === null) throw new OAuthError("invalid_client_metadata", `the request body must be at most ${maxBytes} bytes`);
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new OAuthError("invalid_client_metadata", "the request body must be JSON");
  }
}

/**
 * RFC 7592 §2: the app whose registration access token is presented. Unknown
 * client, no token, or a wrong one: all the same 401. The token is compared
 * by hash in constant time, and hashed even when there is nothing to compare.
 */
async function authenticateRegistration(prisma: PrismaClient, clientId: string, authorization: string | null): Promise<ConnectedApp> {
  const presented = bearer(authorization);
  // A client_id no row can hold (NUL, an unpaired surrogate: `/oauth2/register/%00`) is unknown, not a query error.
  const app = isUnstorable(clientId) ? null : await prisma.connectedApp.findUnique({ where: { clientId } });
  const matches = safeEqual(hashToken(presented ?? ""), app?.registrationAccessTokenHash ?? "");
  if (!presented || !app || !matches) throw invalidToken("The registration access token is missing, wrong, or not for this client");
  return app;
}

/** The client-type policy checks of app-input; their field errors become RFC 7591 errors naming the wire field. */
function validated(ctx: Context, metadata: DcrMetadata) {
  return asMetadataError(() => parseCreateInput(appInputOf(metadata), ctx.config));
}

/** Runs a step of the app write path; its field errors (invalid input) become RFC 7591 errors naming the wire field. */
function asMetadataError<T>(step: () => T): T {
  return translatingInvalidInput(step, (field, message) => {
    const wire = field.replace(/^name$/, "client_name").replace(/^allowed_scopes/, "scope");
    return new OAuthError(wire.startsWith("redirect_uris") ? "invalid_redirect_uri" : "invalid_client_metadata", `${wire} ${message}`);
  });
}

/** A registration's app, through the one write path of new apps. */
async function insertRegisteredApp(
  ctx: Context,
  metadata: DcrMetadata,
  settings: ReturnType<typeof validated>,
  source: Headers,
  extra: { dcrDedupKey: string | null; tokenHash: string },
) {
  await assertWithinRateLimit(ctx, source);
  return asMetadataError(() => insertApp(ctx.prisma, DCR_ACTOR, {
    ...settings,
    creationMethod: "dcr",
    registration: { ...extraColumnsOf(metadata), registrationAccessTokenHash: extra.tokenHash, dcrDedupKey: extra.dcrDedupKey },
  }));
}

/** Confidential registrations always create a new client, with a secret shown only here (none for private_key_jwt: it signs with its own key). */
async function registerConfidential(ctx: Context, metadata: DcrMetadata, settings: ReturnType<typeof validated>, source: Headers) {
  const token = randomToken();
  const { row: app, clientSecret } = await insertRegisteredApp(ctx, metadata, settings, source, { dcrDedupKey: null, tokenHash: hashToken(token) });
  return {
    ...clientInformation(app, registrationUri(ctx.config.issuer, app.clientId)),
    registration_access_token: token,
    ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
  };
}

/**
 * Public registrations with the same normalized metadata share one client:
 * insert with the dedup key, and on its unique violation (a concurrent twin
 * won) answer with the existing client. A deduplicated answer carries no
 * registration access token: the first registrant alone manages the client
 * (RFC 7592), so re-registering someone's metadata never hands over control.
 */
async function registerPublic(ctx: Context, metadata: DcrMetadata, settings: ReturnType<typeof validated>, source: Headers) {
  const key = dedupKey(metadata);
  const existing = await ctx.prisma.connectedApp.findUnique({ where: { dcrDedupKey: key } });
  if (existing) return clientInformation(existing, registrationUri(ctx.config.issuer, existing.clientId));
  const token = randomToken();
  try {
    const { row: app } = await insertRegisteredApp(ctx, metadata, settings, source, { dcrDedupKey: key, tokenHash: hashToken(token) });
    return { ...clientInformation(app, registrationUri(ctx.config.issuer, app.clientId)), registration_access_token: token };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const twin = await ctx.prisma.connectedApp.findUnique({ where: { dcrDedupKey: key } });
    if (!twin) throw error;
    return clientInformation(twin, registrationUri(ctx.config.issuer, twin.clientId));
  }
}
