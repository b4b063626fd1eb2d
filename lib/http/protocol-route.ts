import { getOAuthContext } from "../oauth-context";
import type { OAuthContext } from "../oauth/context";
import { protocolEndpoint, type EndpointOptions } from "../oauth/http";
import { readForm } from "../oauth/params";
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

/** The Authorization header and form body of a protocol POST. */
export async function formRequest(request: Request): Promise<FormRequest> {
  return { authorization: request.headers.get("authorization"), form: await readForm(request) };
}
