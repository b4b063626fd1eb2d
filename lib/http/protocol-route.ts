import { getOAuthContext } from "../oauth-context";
import type { OAuthContext } from "../oauth/context";
import { protocolEndpoint } from "../oauth/http";
import { readForm } from "../oauth/params";
import type { FormRequest } from "../oauth/token-endpoint";

/**
 * The one shape of a protocol route handler: the process's OAuth context,
 * the request, one lib/oauth call; any OAuthError becomes its RFC-shaped
 * response (with CORS headers where browser clients call).
 */
export function protocolRoute(cors: boolean, handle: (ctx: OAuthContext, request: Request) => Promise<Response>) {
  return (request: Request): Promise<Response> => protocolEndpoint(cors, async () => handle(await getOAuthContext(), request));
}

/** The Authorization header and form body of a protocol POST. */
export async function formRequest(request: Request): Promise<FormRequest> {
  return { authorization: request.headers.get("authorization"), form: await readForm(request) };
}
