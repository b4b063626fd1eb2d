import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/account/forgot-password-form";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { resetLinkDelivery } from "@/lib/account/reset-delivery";
import { getConfig } from "@/lib/config";
import { forgotPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Forgot password" };
// Rendered per request: whether mail can be sent is the running server's configuration, not the build's.
export const dynamic = "force-dynamic";

export default function ForgotPasswordPage() {
  const available = resetLinkDelivery(getConfig()) !== null;
  return (
    <div className="mx-auto max-w-sm">
      <Card title="Forgot your password?">
        <div className="space-y-4">
          {available ? (
            <ForgotPasswordForm request={forgotPasswordAction} />
          ) : (
            <Alert>Password reset by email is not available on this server. Ask its owner for help.</Alert>
          )}
          <p className="text-sm text-slate-600">
            <Link className="text-brand-700 underline" href="/signin">
              Back to sign in
            </Link>
          </p>
        </div>
      </Card>
    </div>
  );
}
