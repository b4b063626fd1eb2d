import { componentSchemasOf, SCHEMA } from "./openapi-components";
import { STANDARD_SCOPES } from "../oauth/scopes";
import { MAX_BODY_BYTES } from "./body";
import { CURRENT_USER_SCOPES, currentUserErrorSchema, currentUserSchema, type CurrentUserScope } from "./current-user";
import { userMetadataPatchSchema, userMetadataSchema } from "./user-metadata";

/**
 * The current-user API's part of the OpenAPI document (lib/api/openapi.ts):
 * its paths, its own security scheme (a user's OAuth access token, not the
 * owner API key) and its component schemas, generated from the zod schemas
 * the code uses.
 */

/** The security scheme's name in `components.securitySchemes`. */
export const USER_TOKEN_SCHEME = "userAccessToken";

const jsonContent = (schema: object) => ({ "application/json": { schema } });
const errorResponse = (description: string, challenge = false) => ({
  description,
  ...(challenge ? { headers: { "WWW-Authenticate": { description: "A Bearer challenge (RFC 6750 §3)", schema: { type: "string" } } } } : {}),
  content: jsonContent({ $ref: `${SCHEMA}CurrentUserError` }),
});

/** The responses every current-user operation can give besides its success. */
function tokenErrors(scope: CurrentUserScope) {
  return {
    "401": errorResponse(
      "`invalid_token`: no access token (bare challenge), or one that is malformed, expired, revoked, not meant for this server " +
        "(its audience lacks the issuer), or an owner API key",
      true,
    ),
    "403": errorResponse(`\`insufficient_scope\`: the token lacks \`${scope}\` (the challenge names it)`, true),
    "500": errorResponse("`server_error`: an unexpected failure (details are logged, not sent)"),
  };
}

export function currentUserSecurityScheme(issuer: string) {
  return {
    type: "oauth2",
    description:
      "An access token the user granted to an app (RFC 6750 `Authorization: Bearer`), whose audience includes the issuer " +
      "(the default when no `resource` is requested). Owner API keys are refused.",
    flows: {
      authorizationCode: {
        authorizationUrl: `${issuer}/oauth2/authorize`,
        tokenUrl: `${issuer}/oauth2/token`,
        refreshUrl: `${issuer}/oauth2/token`,
        scopes: Object.fromEntries(CURRENT_USER_SCOPES.map((scope) => [scope, STANDARD_SCOPES[scope]])),
      },
    },
  } as const;
}

export function currentUserPaths() {
  const tags = ["Current user"];
  const security = (scope: CurrentUserScope) => [{ [USER_TOKEN_SCHEME]: [scope] }];
  return {
    "/me": {
      get: {
        summary: "The user the access token acts for",
        description:
          "`sub`, the claims the token's scopes name (`profile`: `name`; `email`: `email`, `email_verified`) and `user_metadata`. " +
          "CORS-enabled for browser apps.",
        operationId: "getCurrentUser",
        tags,
        security: security("read:current_user"),
        responses: { "200": { description: "The user", content: jsonContent({ $ref: `${SCHEMA}CurrentUser` }) }, ...tokenErrors("read:current_user") },
      },
    },
    "/me/metadata": {
      patch: {
        summary: "Merge keys into the user's user_metadata",
        description:
          "A shallow merge: each top-level key of the body replaces the stored one, null removes it, other keys stay. " +
          "Concurrent requests never lose each other's keys.",
        operationId: "updateCurrentUserMetadata",
        tags,
        security: security("update:current_user_metadata"),
        requestBody: { required: true, content: jsonContent({ $ref: `${SCHEMA}UserMetadataPatch` }) },
        responses: {
          "200": { description: "user_metadata after the change", content: jsonContent({ $ref: `${SCHEMA}UserMetadata` }) },
          "400": errorResponse(
            "`invalid_request` (malformed JSON, not an object) or `invalid_body` (a bad key, too deep, unstorable text, or the result would be too large)",
          ),
          "413": errorResponse(`\`payload_too_large\`: the body is over ${MAX_BODY_BYTES} bytes`),
          ...tokenErrors("update:current_user_metadata"),
        },
      },
    },
  };
}

export function currentUserSchemas(): Record<string, Record<string, unknown>> {
  const all = componentSchemasOf(
    { CurrentUser: currentUserSchema, UserMetadata: userMetadataSchema, CurrentUserError: currentUserErrorSchema },
    { UserMetadataPatch: userMetadataPatchSchema },
  );
  return all;
}
