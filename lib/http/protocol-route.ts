import { getConfig, type Config } from "../config";
import { getPrisma } from "../db";
import { trustedSource } from "../rate-limit";
import type { PrismaClient } from "../db/generated/client.ts";
import { getOAuthContext } from "../oauth-context";
import type { OAuthContext } from "../oauth/context";
import { protocolEndpoint, type EndpointOptions } from "../oauth/http";
import { readForm } from "../oauth/params";
import type { Requester } from "../oauth/store";
import type { FormRequest } from "../oauth/token-endpoint";
import { documentResponse, type PublicDocument } from "../oauth/well-known";
import type { DocumentHandler } from "./node-bridge";

/**
 * The one shape of a protocol route handler: the process's OAuth context,
 * the request, one lib/oauth call; any OAuthError becomes its RFC-shaped
 * response (with CORS headers where browser clients call).
 */
export function protocolRoute(options: EndpointOptions, handle: (ctx: OAuthContext, request: Request) => Promise<Response>) {
  return (request: Request): Promise<Response> => protocolEndpoint(options, async () => handle(await getOAuthContext(), request));
}

/**
 * The GET handler of a public document (discovery, JWKS, resource
 * metadata): a protocol route whose `document()` also hands the production
 * server the bytes to write as they are, without a Request or a Response.
 */
export function documentRoute(load: (ctx: OAuthContext) => PublicDocument | Promise<PublicDocument>): DocumentHandler {
  return Object.assign(
    protocolRoute({ cors: true }, async (ctx) => documentResponse(await load(ctx))),
    { document: async () => load(await getOAuthContext()) },
  );
}

/** The Authorization header, form body, requester and DPoP proof of a protocol POST. */
export async function formRequest(request: Request): Promise<FormRequest> {
  return {
    authorization: request.headers.get("authorization"),
    form: await readForm(request),
    requester: requesterOf(request),
    dpop: request.headers.get("dpop"),
  };
}

/** Where a request came from, as far as limits go (TRUST_PROXY decides whether X-Forwarded-For counts). */
export function requesterOf(request: Request): Requester {
  return { source: trustedSource(request.headers, getConfig().trustProxy) };
}

/** What a client-registration handler gets (RFC 7591/7592 is app management, on Prisma, not the token path's store). */
export interface RegistrationContext {
  prisma: PrismaClient;
  config: Config;
}

/**
 * The one shape of a client-registration route: CORS-open (browser-based
 * MCP clients register themselves), the database and the configuration,
 * the route's params, one lib/clients call; errors in RFC 7591 shape.
 */
export function registrationRoute<P = Record<string, never>>(handle: (ctx: RegistrationContext, request: Request, params: P) => Promise<Response>) {
  return (request: Request, route?: { params: Promise<P> }): Promise<Response> =>
    protocolEndpoint({ cors: true }, async () => handle({ prisma: await getPrisma(), config: getConfig() }, request, ((await route?.params) ?? {}) as P));
}
