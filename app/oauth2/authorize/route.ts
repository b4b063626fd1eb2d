import { getAuthSession } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { authorize } from "@/lib/oauth/authorize/flow";
import { errorPage, outcomeResponse } from "@/lib/oauth/authorize/outcome-response";
import { readForm } from "@/lib/oauth/params";

export const dynamic = "force-dynamic";

async function handle(source: URLSearchParams, afterPost: boolean): Promise<Response> {
  const { issuer } = getConfig();
  const outcome = await authorize(await getPrisma(), issuer, source, await getAuthSession());
  return outcomeResponse(outcome, { secureCookies: issuer.startsWith("https://"), afterPost });
}

export async function GET(request: Request): Promise<Response> {
  return handle(new URL(request.url).searchParams, false);
}

/** OIDC Core §3.1.2.1: the same request as a form POST. */
export async function POST(request: Request): Promise<Response> {
  const form = await readForm(request).catch(() => null);
  if (!form) return errorPage("Invalid request", "The authorization request must be a form (application/x-www-form-urlencoded).");
  return handle(form, true);
}
