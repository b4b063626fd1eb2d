import { getConfig } from "@/lib/config";
import { getAuthSession } from "@/lib/auth/session";
import { getOAuthContext } from "@/lib/oauth-context";
import { resumeAuthorization } from "@/lib/oauth/authorize/flow";
import { bindingFromCookies, outcomeResponse } from "@/lib/oauth/authorize/outcome-response";

export const dynamic = "force-dynamic";

/** Back from the sign-in page: continue the pending authorization request. */
export async function GET(request: Request): Promise<Response> {
  const ctx = await getOAuthContext();
  const requestId = new URL(request.url).searchParams.get("request") ?? undefined;
  const bindingSecret = bindingFromCookies(request.headers.get("cookie"), requestId);
  const outcome = await resumeAuthorization(ctx, { requestId, bindingSecret }, await getAuthSession());
  return outcomeResponse(outcome, { secureCookies: getConfig().secureCookies, afterPost: false });
}
