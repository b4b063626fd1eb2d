import type { Metadata } from "next";
import Link from "next/link";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { Card } from "@/components/ui/card";
import { safeReturnPath } from "@/lib/safe-return-path";
import { signUp } from "./actions";

export const metadata: Metadata = { title: "Create account" };

type Props = { searchParams: Promise<{ callbackUrl?: string }> };

export default async function SignUpPage({ searchParams }: Props) {
  const returnTo = safeReturnPath((await searchParams).callbackUrl);
  return (
    <div className="mx-auto max-w-sm">
      <Card title="Create your account">
        <div className="space-y-4">
          <CredentialsForm createAccount={signUp} submitLabel="Create account" returnTo={returnTo} askName />
          <p className="text-sm text-slate-600">
            Already have an account?{" "}
            <Link className="text-brand-600 underline" href={`/signin?callbackUrl=${encodeURIComponent(returnTo)}`}>
              Sign in
            </Link>
          </p>
        </div>
      </Card>
    </div>
  );
}
