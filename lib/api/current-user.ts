import { z } from "zod";
import { getPrisma } from "../db";
import type { PrismaClient, User } from "../db/generated/client.ts";
import { getOAuthContext } from "../oauth-context";
import { authenticateRequest, type ProtectedRequest } from "../oauth/bearer";
import { bearerError } from "../oauth/bearer-header";
import type { OAuthContext } from "../oauth/context";
import { nonceFor } from "../oauth/dpop/nonce";
import { toOAuthErrorResponse } from "../oauth/oauth-error";
import { CORS_HEADERS } from "../oauth/http";
import { withResourceMetadata } from "../oauth/protected-resource";
import type { AccessTokenClaims } from "../oauth/tokens/access-token";
import { userClaims } from "../oauth/tokens/user-claims";
import { readJsonObject } from "./body";
import { ApiError, toErrorResponse } from "./api-error";
import { json } from "./respond";
import { mergeUserMetadata, parseMetadataPatch, userMetadataSchema, type UserMetadata } from "./user-metadata";

/**
 * The current-user API (`/api/v1/me`): what a user lets an app read and
 * change about them, in the spirit of Auth0's `current_user_*` scopes. It
 * takes the user's access token (RFC 6750), never an owner API key.
 */
export const CURRENT_USER_SCOPES = ["read:current_user", "update:current_user_metadata"] as const;
export type CurrentUserScope = (typeof CURRENT_USER_SCOPES)[number];

/** `GET /me`: the subject, the claims the token's scopes name (as in ID tokens and UserInfo) and user_metadata. */
export const currentUserSchema = z
  .object({
    sub: z.string().meta({ description: "The user's identifier (the `sub` of their tokens)" }),
    name: z.string().optional().meta({ description: "With the `profile` scope, when the user has a name" }),
    email: z.string().optional().meta({ description: "With the `email` scope" }),
    email_verified: z.boolean().optional().meta({ description: "With the `email` scope" }),
    user_metadata: userMetadataSchema,
  })
  .meta({ description: "The signed-in user as the access token's scopes let the app see them" });

export const currentUserErrorSchema = z
  .object({
    error: z
      .enum(["invalid_request", "invalid_body", "invalid_token", "insufficient_scope", "invalid_dpop_proof", "use_dpop_nonce", "payload_too_large", "server_error"])
      .meta({ description: "invalid_dpop_proof and use_dpop_nonce: a DPoP-bound token's proof (RFC 9449 §7.1), with a `DPoP` challenge" }),
    error_description: z.string(),
    fields: z.record(z.string(), z.string()).optional().meta({ description: "A message per invalid key, by path (e.g. `prefs.theme`)" }),
  })
  .meta({ description: "Every error of the current-user API" });

/** What a current-user handler gets once the token has passed every check. */
export interface CurrentUserRequest {
  request: Request;
  prisma: PrismaClient;
  user: User;
  claims: AccessTokenClaims;
}

const REVOKED = "The access token has been revoked";

export interface CurrentUserEndpointOptions {
  /** Tests pass their own database and OAuth context (issuer, clock); routes use the process's. */
  prisma?: () => Promise<PrismaClient>;
  context?: () => Promise<OAuthContext>;
}

/**
 * Wraps a current-user route handler: checks the bearer access token
 * (signature, expiry, revocation, audience = the issuer, `scope`; lib/oauth/bearer.ts),
 * runs the handler, and maps every error to `{ error, error_description }`
 * with its RFC 6750 challenge, which names the resource metadata (RFC 9728). Responses are `no-store` and CORS-enabled:
 * browser apps call these endpoints with a token, never with cookies.
 */
export function currentUserEndpoint(
  scope: CurrentUserScope,
  handle: (input: CurrentUserRequest) => Promise<Response>,
  options: CurrentUserEndpointOptions = {},
) {
  return async (request: Request): Promise<Response> => {
    let response: Response;
    let ctx: OAuthContext | undefined;
    try {
      ctx = await (options.context ?? getOAuthContext)();
      const prisma = await (options.prisma ?? getPrisma)();
      const { claims } = await authenticateRequest(ctx, protectedRequest(ctx, request), scope);
      // The token's check read the user's claims; this API also needs their metadata.
      const user = await prisma.user.findUnique({ where: { id: claims.sub } });
      if (!user) throw bearerError("invalid_token", REVOKED);
      response = await handle({ request, prisma, user, claims });
    } catch (error) {
      const path = new URL(request.url).pathname;
      response = error instanceof ApiError ? toErrorResponse(error, `${request.method} ${path}`) : toOAuthErrorResponse(error);
    }
    // RFC 9728 §5.1: tell MCP and other clients where to find the authorization server.
    const challenge = response.headers.get("www-authenticate");
    if (challenge && ctx) response.headers.set("WWW-Authenticate", withResourceMetadata(challenge, ctx.issuer, scope));
    for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
    const nonce = ctx && response.ok ? nonceFor(ctx, request.headers.get("dpop")) : undefined;
    if (nonce) response.headers.set("DPoP-Nonce", nonce);
    return response;
  };
}

/** The request's credentials; a DPoP proof's htu is this endpoint's URL under the issuer (RFC 9449 §4.3). */
function protectedRequest(ctx: OAuthContext, request: Request): ProtectedRequest {
  return {
    authorization: request.headers.get("authorization"),
    form: null,
    dpop: request.headers.get("dpop"),
    method: request.method,
    htu: `${ctx.issuer}${new URL(request.url).pathname}`,
  };
}

/** `GET /me` (read:current_user). */
export async function readCurrentUser({ user, claims }: CurrentUserRequest): Promise<Response> {
  const body: z.output<typeof currentUserSchema> = {
    sub: user.id,
    ...userClaims(user, claims.scope.split(" ")),
    user_metadata: user.metadata as UserMetadata,
  };
  return json(body);
}

/** `PATCH /me/metadata` (update:current_user_metadata): merges the body into user_metadata and returns the result. */
export async function updateCurrentUserMetadata({ request, prisma, user }: CurrentUserRequest): Promise<Response> {
  const patch = parseMetadataPatch(await readJsonObject(request));
  return json(await mergeUserMetadata(prisma, user.id, patch));
}
