import { getOAuthContext } from "@/lib/oauth-context";
import { protocolEndpoint, protocolJson } from "@/lib/oauth/http";
import { readForm } from "@/lib/oauth/params";
import { exchangeSession } from "@/lib/oauth/session-exchange";

export const dynamic = "force-dynamic";

/**
 * `POST /api/v1/sessions/exchange`: a first-party app's backend trades a
 * fresh `full_access` access token for a one-time sign-in link. Client
 * authentication as at the token endpoint; errors in RFC 6749 §5.2 shape.
 * Not CORS-enabled: it is meant for the app's server.
 */
export async function POST(request: Request): Promise<Response> {
  return protocolEndpoint({ cors: false }, async () => {
    const form = await readForm(request);
    const body = await exchangeSession(await getOAuthContext(), { authorization: request.headers.get("authorization"), form });
    return protocolJson(body);
  });
}
