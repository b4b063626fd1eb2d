"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { TypeToConfirm } from "../ui/type-to-confirm";

export type AccountFormAction = (form: FormData) => Promise<ActionResult>;

/** A field's message from a failed result, as the Field component shows it. */
function fieldErrors(result: ActionResult | null, name: string): string[] {
  return result && !result.ok && result.fields?.[name] ? [result.fields[name]] : [];
}

/** The failure not tied to one of `names` (tied ones show under their field). */
function formError(result: ActionResult | null, names: string[]): string | null {
  if (!result || result.ok) return null;
  return names.some((name) => result.fields?.[name]) ? null : result.error;
}

/** Edit the user's name. */
export function NameForm({ name, save }: { name: string | null; save: AccountFormAction }) {
  const { result, pending, hydrated, onSubmit } = useFormAction(save);
  const error = formError(result, ["name"]);
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-3" aria-label="Name">
      <Field label="Name" name="name" defaultValue={name ?? ""} required={false} maxLength={100} autoComplete="name" errors={fieldErrors(result, "name")} />
      {error && <Alert>{error}</Alert>}
      {result?.ok && <p role="status" className="text-sm text-green-700">Name saved.</p>}
      <Button type="submit" disabled={pending || !hydrated}>{pending ? "Saving…" : "Save name"}</Button>
    </form>
  );
}

/** Change the password (current one required), or set a first one for an account made by a sign-in connection. */
export function PasswordForm({ hasPassword, change }: { hasPassword: boolean; change: AccountFormAction }) {
  const [formKey, setFormKey] = useState(0);
  const { result, pending, hydrated, onSubmit } = useFormAction(change, () => setFormKey((k) => k + 1));
  const error = formError(result, ["current_password", "new_password"]);
  return (
    <form key={formKey} method="post" onSubmit={onSubmit} className="space-y-3" aria-label="Password">
      {hasPassword && <Field label="Current password" name="current_password" type="password" autoComplete="current-password" errors={fieldErrors(result, "current_password")} />}
      <Field label="New password" name="new_password" type="password" autoComplete="new-password" hint="At least 8 characters." errors={fieldErrors(result, "new_password")} />
      {error && <Alert>{error}</Alert>}
      {result?.ok && <p role="status" className="text-sm text-green-700">Password {hasPassword ? "changed" : "set"}.</p>}
      <Button type="submit" disabled={pending || !hydrated}>{pending ? "Saving…" : hasPassword ? "Change password" : "Set password"}</Button>
    </form>
  );
}

/** Delete the account, confirmed by typing its email; signs out afterwards. */
export function DeleteAccountForm({ email, remove }: { email: string; remove: AccountFormAction }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const { result, pending, hydrated, onSubmit } = useFormAction(remove, () => void signOut({ callbackUrl: "/signin?notice=account-deleted" }));
  const error = result && !result.ok ? (result.fields?.confirm_email ?? result.error) : null;
  if (!open) {
    return (
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete account
      </Button>
    );
  }
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-950" aria-label="Delete account">
      <p>
        This permanently deletes your account. Every app you authorized loses access at once, and you are signed out. This cannot be undone.
      </p>
      <TypeToConfirm id="confirm-email" name="confirm_email" expected={email} value={typed} onChange={setTyped} autoFocus />
      {error && <Alert>{error}</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="danger" disabled={pending || !hydrated || result?.ok || typed.trim().toLowerCase() !== email}>
          {pending || result?.ok ? "Deleting…" : "Delete my account permanently"}
        </Button>
        <Button type="button" variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
          Go back
        </Button>
      </div>
    </form>
  );
}
