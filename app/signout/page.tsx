import { getOAuthContext } from "@/lib/oauth-context";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ErrorCard } from "@/components/ui/error-card";
import { SignOutConfirmation } from "@/components/auth/sign-out-confirmation";
import { getAuthSession } from "@/lib/auth/session";
import { CONFIRM_PATH, signOutView } from "@/lib/oauth/end-session";

export const metadata: Metadata = { title: "Sign out" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The confirmation page of RP-initiated logout (/oauth2/end_session sends the browser here). */
export default async function SignOutPage({ searchParams }: Props) {
  const source = new URLSearchParams();
  for (const [name, value] of Object.entries(await searchParams)) {
    for (const v of [value].flat()) if (v !== undefined) source.append(name, v);
  }
  const result = await signOutView(await getOAuthContext(), source, await getAuthSession());
  if (result.type === "redirect") redirect(result.location);
  if (result.type === "error_page") {
    return <ErrorCard title={result.title} description={result.description} />;
  }
  return <SignOutConfirmation view={result.view} action={CONFIRM_PATH} />;
}
