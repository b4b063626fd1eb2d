import type { Metadata } from "next";
import Link from "next/link";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { Card } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { SIGNUP_CLOSED, signupOpen } from "@/lib/auth/signup";
import { getPrisma } from "@/lib/db";
import { safeReturnPath } from "@/lib/safe-return-path";
import { signUp } from "./actions";

export const metadata: Metadata = { title: "Create account" };

type Props = { searchParams: Promise<{ callbackUrl?: string }> };

export default async function SignUpPage({ searchParams }: Props) {
  const returnTo = safeReturnPath((await searchParams).callbackUrl);
  const open = await signupOpen(await getPrisma());
  return (
    <div className="mx-auto max-w-sm">
      <Card title="Create your account">
        <div className="space-y-4">
          {open ? (
            <CredentialsForm createAccount={signUp} submitLabel="Create account" returnTo={returnTo} askName />
          ) : (
            <Alert>{SIGNUP_CLOSED}.</Alert>
          )}
          <p className="text-sm text-slate-600">
            Already have an account?{" "}
            <Link className="text-brand-700 underline" href={`/signin?callbackUrl=${encodeURIComponent(returnTo)}`}>
              Sign in
            </Link>
          </p>
        </div>
      </Card>
    </div>
  );
}
