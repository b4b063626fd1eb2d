import { getAuthSession } from "@/lib/auth/session";
import { getOAuthContext } from "@/lib/oauth-context";
import { decideDevice } from "@/lib/oauth/device/verification";
import { errorPage } from "@/lib/oauth/authorize/outcome-response";
import { readForm } from "@/lib/oauth/params";

export const dynamic = "force-dynamic";

/** The device page's Allow / Deny (RFC 8628 §3.3). */
export async function POST(request: Request): Promise<Response> {
  const form = await readForm(request).catch(() => null);
  const decision = form?.get("decision");
  if (!form || (decision !== "allow" && decision !== "deny")) return errorPage("Invalid request", "The form was not submitted correctly.");
  const { location } = await decideDevice(
    await getOAuthContext(),
    { authorizationId: form.get("request") ?? undefined, csrfToken: form.get("csrf") ?? undefined, decision },
    await getAuthSession(),
  );
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}
