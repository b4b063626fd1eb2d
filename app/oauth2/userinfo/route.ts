import { protocolRoute } from "@/lib/http/protocol-route";
import type { OAuthContext } from "@/lib/oauth/context";
import { nonceFor } from "@/lib/oauth/dpop/nonce";
import { preflight, protocolJson } from "@/lib/oauth/http";
import { readForm } from "@/lib/oauth/params";
import { userInfo } from "@/lib/oauth/userinfo";

export const dynamic = "force-dynamic";

/** GET, or POST with the token in a form body (RFC 6750 §2.2); a DPoP proof rides in its header (RFC 9449 §7). */
export const GET = protocolRoute({ cors: true }, async (ctx, request) => answer(ctx, request, null));
export const POST = protocolRoute({ cors: true }, async (ctx, request) =>
  answer(ctx, request, request.headers.get("content-type") !== null ? await readForm(request) : null),
);

async function answer(ctx: OAuthContext, request: Request, form: URLSearchParams | null): Promise<Response> {
  const dpop = request.headers.get("dpop");
  const claims = await userInfo(ctx, { authorization: request.headers.get("authorization"), form, dpop, method: request.method });
  return protocolJson(claims, { cors: true, dpopNonce: nonceFor(ctx, dpop) });
}

export const OPTIONS = () => preflight("GET, POST");
