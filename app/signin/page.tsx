import type { Metadata } from "next";
import Link from "next/link";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { ConnectionButtons } from "@/components/auth/connection-buttons";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { signupOpen } from "@/lib/auth/signup";
import { signInMethodsFor } from "@/lib/connections/connections";
import { getPrisma } from "@/lib/db";
import { appForReturnPath, appNameForReturnPath } from "@/lib/oauth/authorize/interaction";
import { getOAuthContext } from "@/lib/oauth-context";
import { safeReturnPath } from "@/lib/safe-return-path";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string; error?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl, error } = await searchParams;
  const returnTo = safeReturnPath(callbackUrl);
  const [ctx, prisma] = await Promise.all([getOAuthContext(), getPrisma()]);
  // The app of a pending authorization decides which connections are offered (policy table); elsewhere, project-level ones.
  const [appName, app, open] = await Promise.all([appNameForReturnPath(ctx, returnTo), appForReturnPath(ctx, returnTo), signupOpen(prisma)]);
  const methods = await signInMethodsFor(prisma, app);
  return (
    <div className="mx-auto max-w-sm">
      <Card title="Sign in">
        <div className="space-y-4">
          {appName && (
            <p className="text-sm text-slate-600" data-testid="signin-for-app">
              to continue to <strong className="font-semibold text-slate-800">{appName}</strong>
            </p>
          )}
          {error && <Alert>Sign-in failed. Check your email and password.</Alert>}
          <ConnectionButtons connections={methods.connections} returnTo={returnTo} />
          {methods.password && methods.connections.length > 0 && <p className="text-center text-xs uppercase tracking-wide text-slate-500">or</p>}
          {methods.password && <CredentialsForm submitLabel="Sign in" returnTo={returnTo} />}
          {open && (
            <p className="text-sm text-slate-600">
              No account?{" "}
              <Link className="text-brand-700 underline" href={`/signup?callbackUrl=${encodeURIComponent(returnTo)}`}>
                Create one
              </Link>
            </p>
          )}
        </div>
      </Card>
    </div>
  );
}
