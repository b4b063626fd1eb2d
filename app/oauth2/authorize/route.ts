import { getConfig } from "@/lib/config";
import { getAuthSession } from "@/lib/auth/session";
import { getOAuthContext } from "@/lib/oauth-context";
import { authorize } from "@/lib/oauth/authorize/flow";
import { errorPage, outcomeResponse } from "@/lib/oauth/authorize/outcome-response";
import { readForm } from "@/lib/oauth/params";
import { trustedSource } from "@/lib/rate-limit";

export const dynamic = "force-dynamic";

async function handle(request: Request, source: URLSearchParams, afterPost: boolean): Promise<Response> {
  const ctx = await getOAuthContext();
  const config = getConfig();
  const outcome = await authorize(ctx, source, await getAuthSession(), undefined, trustedSource(request.headers, config.trustProxy));
  return outcomeResponse(outcome, { secureCookies: config.secureCookies, afterPost });
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
