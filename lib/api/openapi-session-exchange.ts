import { z } from "zod";
import { componentSchemasOf, SCHEMA } from "./openapi-components";
import {
  EXCHANGE_MAX_TOKEN_AGE_S,
  SESSION_EXCHANGE_ERRORS,
  SIGN_IN_LINK_PATH,
  SIGN_IN_LINK_TTL_S,
  sessionExchangeRequestSchema,
  sessionExchangeResponseSchema,
} from "../oauth/session-exchange";

/**
 * Session exchange's part of the OpenAPI document (lib/api/openapi.ts): its
 * path, its own security scheme (the app's client authentication, as at the
 * token endpoint, never the owner API key) and its component schemas,
 * generated from the zod schemas lib/oauth/session-exchange.ts uses.
 */

/** The security scheme's name in `components.securitySchemes`. */
export const CLIENT_AUTH_SCHEME = "clientSecretBasic";

const content = (type: string, name: string) => ({ [type]: { schema: { $ref: `${SCHEMA}${name}` } } });
const errorResponse = (description: string) => ({ description, content: content("application/json", "SessionExchangeError") });

export function sessionExchangeSecurityScheme() {
  return {
    type: "http",
    scheme: "basic",
    description:
      "The app's client authentication (RFC 6749 §2.3.1, `client_secret_basic`): `client_id` and client secret, each form-urlencoded. " +
      "Instead, confidential apps may send `client_id` and `client_secret` in the body (`client_secret_post`), and public apps send only `client_id`.",
  } as const;
}

export function sessionExchangePaths() {
  return {
    "/sessions/exchange": {
      post: {
        summary: "Exchange a first-party app's full_access access token for a one-time sign-in link",
        description:
          "For the backend of a first-party app whose settings allow `full_access` (third-party apps never can). " +
          `The access token must be this app's, hold \`full_access\`, be at most ${EXCHANGE_MAX_TOKEN_AGE_S / 60} minutes old ` +
          "(`iat`), unrevoked, for this server (its audience includes the issuer), and never exchanged before: each token is exchanged once. " +
          `The answer is a link to \`${SIGN_IN_LINK_PATH}\` that works once, within ${SIGN_IN_LINK_TTL_S} seconds: opened in a browser, it signs ` +
          "the same user in to this server and continues to `return_to` (default `/account`). Errors are RFC 6749 §5.2 objects. Not CORS-enabled.",
        operationId: "exchangeSession",
        tags: ["Sessions"],
        security: [{ [CLIENT_AUTH_SCHEME]: [] }, {}],
        requestBody: { required: true, content: content("application/x-www-form-urlencoded", "SessionExchangeRequest") },
        responses: {
          "200": { description: "The sign-in link", content: content("application/json", "SessionExchange") },
          "400": errorResponse(
            "`invalid_request` (not a form, no `access_token`, a repeated parameter, `return_to` not a path here), " +
              "`unauthorized_client` (the app may not exchange: not first-party, or `full_access` not enabled) or " +
              "`invalid_grant` (the token is invalid, expired, revoked, another app's, without `full_access`, too old, or already exchanged)",
          ),
          "401": errorResponse("`invalid_client`: client authentication failed (unknown or disabled app, wrong secret, or a method its type does not use)"),
          "500": errorResponse("`server_error`: an unexpected failure (details are logged, not sent)"),
        },
      },
    },
  };
}

const sessionExchangeErrorSchema = z.object({ error: z.enum(SESSION_EXCHANGE_ERRORS), error_description: z.string() });

export function sessionExchangeSchemas(): Record<string, Record<string, unknown>> {
  const all = componentSchemasOf(
    { SessionExchange: sessionExchangeResponseSchema, SessionExchangeError: sessionExchangeErrorSchema },
    { SessionExchangeRequest: sessionExchangeRequestSchema },
  );
  return all;
}
