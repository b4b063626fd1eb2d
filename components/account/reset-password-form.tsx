"use client";

import Link from "next/link";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import type { AccountFormAction } from "./account-forms";

/** The new password for a forgot-password link; the link is spent on success. */
export function ResetPasswordForm({ token, reset }: { token: string; reset: AccountFormAction }) {
  const { result, pending, hydrated, onSubmit } = useFormAction(reset);
  if (result?.ok) {
    return (
      <p role="status" className="text-sm text-slate-700">
        Your new password is set.{" "}
        <Link className="text-brand-700 underline" href="/signin">
          Sign in
        </Link>{" "}
        with it.
      </p>
    );
  }
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" aria-label="Reset password">
      <input type="hidden" name="token" value={token} />
      <Field label="New password" name="password" type="password" autoComplete="new-password" hint="At least 8 characters." errors={result && !result.ok && result.fields?.password ? [result.fields.password] : []} />
      {result && !result.ok && !result.fields?.password && <Alert>{result.error}</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full">
        {pending ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}
