import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { ErrorCard } from "@/components/ui/error-card";
import { ConsentPanel } from "@/components/consent/consent-panel";
import { getAuthSession, getCurrentUser } from "@/lib/auth/session";
import { consentView } from "@/lib/oauth/authorize/flow";
import { BINDING_COOKIE_PREFIX } from "@/lib/oauth/authorize/interaction";
import { getOAuthContext } from "@/lib/oauth-context";

export const metadata: Metadata = { title: "Authorize app" };

type Props = { searchParams: Promise<{ request?: string }> };

/** The consent page: which app asks for what, Allow or Deny (posted to /oauth2/authorize/decision). */
export default async function ConsentPage({ searchParams }: Props) {
  const { request } = await searchParams;
  const requestId = typeof request === "string" ? request : undefined;
  const bindingSecret = requestId ? (await cookies()).get(`${BINDING_COOKIE_PREFIX}${requestId}`)?.value : undefined;
  const result = await consentView(await getOAuthContext(), { requestId, bindingSecret }, await getAuthSession());
  if (result.type === "redirect") redirect(result.location);
  if (result.type === "error_page") {
    return <ErrorCard title={result.title} description={result.description} />;
  }
  const user = await getCurrentUser();
  return <ConsentPanel view={result.view} account={user ? { email: user.email, name: user.name } : null} />;
}
