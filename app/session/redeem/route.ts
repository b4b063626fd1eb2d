import { getOAuthContext } from "@/lib/oauth-context";
import { authOptions } from "@/lib/auth/options";
import { signInCookies } from "@/lib/auth/session-cookie";
import { withCurrentSessionEpoch } from "@/lib/auth/session-epoch";
import { getPrisma } from "@/lib/db";
import { getConfig } from "@/lib/config";
import { errorPage } from "@/lib/oauth/authorize/outcome-response";
import { PageError } from "@/lib/oauth/page-error";
import { redeemSignInLink } from "@/lib/oauth/session-exchange";
import { safeReturnPath } from "@/lib/safe-return-path";

export const dynamic = "force-dynamic";

const HEADERS = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

/**
 * `GET /session/redeem?token=…[&return_to=/path]`: the one-time link from
 * `POST /api/v1/sessions/exchange`. Signs the user in (a next-auth session
 * cookie) and sends the browser on with a 303; a link that is invalid,
 * expired or used gets a page saying so.
 */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  try {
    const user = await withCurrentSessionEpoch(await getPrisma(), await redeemSignInLink(await getOAuthContext(), url.searchParams.get("token")));
    const options = authOptions();
    const location = getConfig().issuer + safeReturnPath(url.searchParams.get("return_to"));
    const headers = new Headers({ ...HEADERS, Location: location });
    for (const cookie of await signInCookies(options, request.headers.get("cookie"), user)) headers.append("Set-Cookie", cookie);
    return new Response(null, { status: 303, headers });
  } catch (e) {
    if (!(e instanceof PageError)) throw e;
    const page = errorPage(e.title, e.description);
    page.headers.set("Referrer-Policy", "no-referrer");
    return page;
  }
}

/** A HEAD (link previews, checkers) must not spend the link, as Next.js's implicit HEAD → GET would. */
export function HEAD(): Response {
  return new Response(null, { status: 200, headers: { ...HEADERS, "Content-Type": "text/html; charset=utf-8" } });
}
