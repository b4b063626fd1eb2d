import type { Actor } from "../audit";
import { getConfig, type Config } from "../config";
import { getPrisma } from "../db";
import type { PrismaClient } from "../db/generated/client.ts";
import { authenticate } from "./authenticate";
import { notFound, toErrorResponse } from "./api-error";
import { isUnstorable } from "../text";

/** What a management-API handler gets: the request, the authenticated owner key's actor, the route params. */
export interface ManagementRequest<P> {
  request: Request;
  url: URL;
  prisma: PrismaClient;
  /** The server's one configuration (validation rules such as development mode come from it). */
  config: Config;
  actor: Actor;
  params: P;
}

export interface ManagementRouteOptions {
  /** The database (tests pass their own; routes use the process's). */
  prisma?: () => Promise<PrismaClient>;
}

/**
 * Wraps a management-API route handler: opens the database, authenticates
 * the owner API key (401 otherwise), runs the handler, and turns any thrown
 * error into the one error shape (lib/api/api-error.ts). Handlers stay a
 * straight line: parse → one lib call → Response.
 */
export function managementRoute<P extends Record<string, string> = Record<string, never>>(
  handle: (input: ManagementRequest<P>) => Promise<Response>,
  options: ManagementRouteOptions = {},
) {
  const database = options.prisma ?? getPrisma;
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const url = new URL(request.url);
    try {
      const prisma = await database();
      const actor = await authenticate(prisma, request);
      // Next.js gives routes without dynamic segments no params at all.
      const params = ((await context?.params) ?? {}) as P;
      // No stored identifier holds a NUL or an unpaired surrogate (and querying with one fails).
      if (Object.values(params).some(isUnstorable)) throw notFound("No such resource");
      return await handle({ request, url, prisma, config: getConfig(), actor, params });
    } catch (error) {
      return toErrorResponse(error, `${request.method} ${url.pathname}`);
    }
  };
}
