"use client";

import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import type { AccountFormAction } from "./account-forms";

/** Asks for the email; the answer never says whether it has an account. */
export function ForgotPasswordForm({ request }: { request: AccountFormAction }) {
  const { result, pending, hydrated, onSubmit } = useFormAction(request);
  if (result?.ok) {
    return (
      <p role="status" className="text-sm text-slate-700" data-testid="reset-requested">
        If an account with a password uses this email, we sent it a link to choose a new password. The link works once, within 30 minutes.
      </p>
    );
  }
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" aria-label="Forgot password">
      <p className="text-sm text-slate-600">Enter your account&apos;s email. We will send you a link to choose a new password.</p>
      <Field label="Email" name="email" type="email" autoComplete="email" errors={result && !result.ok && result.fields?.email ? [result.fields.email] : []} />
      {result && !result.ok && !result.fields?.email && <Alert>{result.error}</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full">
        {pending ? "Please wait…" : "Send the link"}
      </Button>
    </form>
  );
}
