import { getConfig } from "@/lib/config";
import { requesterOf } from "@/lib/http/protocol-route";
import { errorPageViewer, getAuthSession } from "@/lib/auth/session";
import { getOAuthContext } from "@/lib/oauth-context";
import { authorize } from "@/lib/oauth/authorize/flow";
import { errorPage, outcomeResponse } from "@/lib/oauth/authorize/outcome-response";
import { readForm } from "@/lib/oauth/params";

export const dynamic = "force-dynamic";

async function handle(request: Request, source: URLSearchParams, afterPost: boolean): Promise<Response> {
  const ctx = await getOAuthContext();
  const session = await getAuthSession();
  const outcome = await authorize(ctx, source, session, ctx.clock(), requesterOf(request));
  const viewer = outcome.type === "error_page" ? await errorPageViewer(session) : undefined;
  return outcomeResponse(outcome, { secureCookies: getConfig().secureCookies, afterPost, viewer });
}

export async function GET(request: Request): Promise<Response> {
  return handle(request, new URL(request.url).searchParams, false);
}

/** OIDC Core §3.1.2.1: the same request as a form POST. */
export async function POST(request: Request): Promise<Response> {
  const form = await readForm(request).catch(() => null);
  if (!form) return errorPage("Invalid request", "The authorization request must be a form (application/x-www-form-urlencoded).");
  return handle(request, form, true);
}
