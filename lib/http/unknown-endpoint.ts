import { notFound, toErrorResponse } from "../api/api-error";

/**
 * The answer to a path under /api, /oauth2 or /.well-known that no
 * route serves: a JSON `not_found` (the management API's shape, which is
 * also RFC 6749's `{error, error_description}`), not Next's HTML 404 page.
 * Every path under those prefixes is then a route handler's, which
 * server.ts relies on (lib/http/server-action-guard.ts): Next runs a
 * not-found page through its page pipeline, server-action checks included.
 */
export function unknownEndpoint(): Response {
  return toErrorResponse(notFound("No such endpoint"));
}

/** The handlers of a catch-all route: every method gets the same answer. */
export const unknownEndpointRoute = {
  GET: unknownEndpoint,
  POST: unknownEndpoint,
  PUT: unknownEndpoint,
  PATCH: unknownEndpoint,
  DELETE: unknownEndpoint,
  OPTIONS: unknownEndpoint,
};
