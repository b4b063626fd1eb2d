import { getOAuthContext } from "@/lib/oauth-context";
import { getAuthSession } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { errorPage } from "@/lib/oauth/authorize/outcome-response";
import { confirmEndSession } from "@/lib/oauth/end-session";
import { endSessionResponse } from "@/lib/oauth/end-session-response";
import { readForm } from "@/lib/oauth/params";

export const dynamic = "force-dynamic";

/** The confirmation page's "Sign out" (app/signout/page.tsx). */
export async function POST(request: Request): Promise<Response> {
  const form = await readForm(request).catch(() => null);
  if (!form) return errorPage("Invalid request", "The sign-out form was not submitted correctly.");
  const outcome = await confirmEndSession(await getOAuthContext(), form, await getAuthSession());
  return endSessionResponse(outcome, {
    cookieHeader: request.headers.get("cookie"),
    secureCookies: getConfig().secureCookies,
    afterPost: true,
  });
}
