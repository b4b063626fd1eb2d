import { formRequest, protocolRoute } from "@/lib/http/protocol-route";
import { protocolJson } from "@/lib/oauth/http";
import { exchangeSession } from "@/lib/oauth/session-exchange";

export const dynamic = "force-dynamic";

/**
 * `POST /api/v1/sessions/exchange`: a first-party app's backend trades a
 * fresh `full_access` access token for a one-time sign-in link. Client
 * authentication as at the token endpoint; errors in RFC 6749 §5.2 shape.
 * Not CORS-enabled: it is meant for the app's server.
 */
export const POST = protocolRoute({ cors: false }, async (ctx, request) => protocolJson(await exchangeSession(ctx, await formRequest(request))));
