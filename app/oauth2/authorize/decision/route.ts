import { getConfig } from "@/lib/config";
import { getAuthSession } from "@/lib/auth/session";
import { getOAuthContext } from "@/lib/oauth-context";
import { decideConsent } from "@/lib/oauth/authorize/flow";
import { bindingFromCookies, errorPage, outcomeResponse } from "@/lib/oauth/authorize/outcome-response";
import { readForm } from "@/lib/oauth/params";

export const dynamic = "force-dynamic";

/** The consent page's Allow / Deny. */
export async function POST(request: Request): Promise<Response> {
  const form = await readForm(request).catch(() => null);
  const decision = form?.get("decision");
  if (!form || (decision !== "allow" && decision !== "deny")) return errorPage("Invalid request", "The consent form was not submitted correctly.");
  const ctx = await getOAuthContext();
  const requestId = form.get("request") ?? undefined;
  const outcome = await decideConsent(
    ctx,
    { requestId, bindingSecret: bindingFromCookies(request.headers.get("cookie"), requestId), csrfToken: form.get("csrf") ?? undefined, decision },
    await getAuthSession(),
  );
  return outcomeResponse(outcome, { secureCookies: getConfig().secureCookies, afterPost: true });
}
