import { getOAuthContext } from "@/lib/oauth-context";
import { errorPageViewer, getAuthSession } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { errorPage } from "@/lib/oauth/authorize/outcome-response";
import { endSession } from "@/lib/oauth/end-session";
import { endSessionResponse } from "@/lib/oauth/end-session-response";
import { readForm } from "@/lib/oauth/params";

export const dynamic = "force-dynamic";

async function handle(request: Request, source: URLSearchParams, method: "GET" | "POST"): Promise<Response> {
  const session = await getAuthSession();
  const outcome = await endSession(await getOAuthContext(), source, session, method);
  return endSessionResponse(outcome, {
    cookieHeader: request.headers.get("cookie"),
    secureCookies: getConfig().secureCookies,
    afterPost: method === "POST",
    viewer: outcome.type === "error_page" ? await errorPageViewer(session) : undefined,
  });
}

/** OpenID Connect RP-Initiated Logout 1.0 §2. */
export async function GET(request: Request): Promise<Response> {
  return handle(request, new URL(request.url).searchParams, "GET");
}

/** §2: the same request as a form POST. */
export async function POST(request: Request): Promise<Response> {
  const form = await readForm(request).catch(() => null);
  if (!form) return errorPage("Invalid request", "The sign-out request must be a form (application/x-www-form-urlencoded).");
  return handle(request, form, "POST");
}
