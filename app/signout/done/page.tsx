import { getOAuthContext } from "@/lib/oauth-context";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { getAuthSession } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { SIGN_OUT_PAGE_PATH, signedOutAppName } from "@/lib/oauth/end-session";

export const metadata: Metadata = { title: "Signed out" };

type Props = { searchParams: Promise<{ client_id?: string | string[] }> };

/** Where RP-initiated logout ends when the app gave no post_logout_redirect_uri. */
export default async function SignedOutPage({ searchParams }: Props) {
  const { client_id } = await searchParams;
  const clientId = typeof client_id === "string" ? client_id : undefined;
  // Still signed in (opened directly): ask instead of claiming otherwise.
  if (await getAuthSession()) redirect(clientId ? `${SIGN_OUT_PAGE_PATH}?client_id=${encodeURIComponent(clientId)}` : SIGN_OUT_PAGE_PATH);
  const appName = await signedOutAppName(await getOAuthContext(), clientId);
  const host = new URL(getConfig().issuer).host;
  return (
    <div className="mx-auto max-w-md" role="status">
      <Card title="You are signed out">
        <div className="space-y-4">
          <p className="text-sm text-slate-600">
            You have signed out of {host}
            {appName && (
              <>
                {" "}
                at the request of <strong className="font-semibold text-slate-800" data-testid="signed-out-app-name">{appName}</strong>
              </>
            )}
            . You can close this window.
          </p>
          <LinkButton href="/signin">Sign in again</LinkButton>
        </div>
      </Card>
    </div>
  );
}
