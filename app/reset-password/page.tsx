import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/account/reset-password-form";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { resetLinkUsable } from "@/lib/account/password-reset";
import { getPrisma } from "@/lib/db";
import { resetPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

type Props = { searchParams: Promise<{ token?: string | string[] }> };

export default async function ResetPasswordPage({ searchParams }: Props) {
  const { token } = await searchParams;
  const usable = typeof token === "string" && token.length <= 100 && (await resetLinkUsable(await getPrisma(), token));
  return (
    <div className="mx-auto max-w-sm">
      <Card title="Choose a new password">
        <div className="space-y-4">
          {usable ? (
            <ResetPasswordForm token={token} reset={resetPasswordAction} />
          ) : (
            <Alert>This link has expired or was already used. Ask for a new one.</Alert>
          )}
          <p className="text-sm text-slate-600">
            <Link className="text-brand-700 underline" href={usable ? "/signin" : "/forgot-password"}>
              {usable ? "Back to sign in" : "Ask for a new link"}
            </Link>
          </p>
        </div>
      </Card>
    </div>
  );
}
