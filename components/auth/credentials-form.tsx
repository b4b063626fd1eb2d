"use client";

import { signIn } from "next-auth/react";
import { signInFailureMessage } from "@/lib/auth/signin-messages";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { useState, type FormEvent } from "react";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { useHydrated } from "../ui/use-hydrated";

export type CreateAccountAction = (form: FormData) => Promise<ActionResult>;

/**
 * Email + password form. Without `createAccount` it signs in; with it, it
 * first creates the account through that server action, then signs in.
 * Either way it ends on `returnTo`, a path already checked by the server.
 */
export function CredentialsForm({
  createAccount,
  submitLabel,
  returnTo,
  hidden = {},
  askName = false,
}: {
  createAccount?: CreateAccountAction;
  submitLabel: string;
  returnTo: string;
  hidden?: Record<string, string>;
  askName?: boolean;
}) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  // Until React handles the submit, the browser would send the form itself:
  // the button waits for hydration, and the form is a POST so that even then
  // a password never ends up in a URL (history, logs, Referer).
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      if (createAccount) {
        const created = await createAccount(form);
        if (!created.ok) return setError(created.error);
      }
      const result = await signIn("credentials", {
        email: String(form.get("email")),
        password: String(form.get("password")),
        // Which authorization request the sign-in continues: its activity counts and its audit event name the app.
        callbackUrl: returnTo,
        redirect: false,
      });
      if (!result?.ok) return setError(signInFailureMessage(result?.error));
      // A full navigation so every server component sees the new session.
      window.location.assign(returnTo);
    } catch {
      setError("Something went wrong. Please try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate={false}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {askName && <Field label="Name" name="name" autoComplete="name" required={false} />}
      <Field label="Email" name="email" type="email" autoComplete="email" />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={createAccount ? "new-password" : "current-password"}
        hint={createAccount ? "At least 8 characters." : undefined}
      />
      {error && <Alert>{error}</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full">
        {pending ? "Please wait…" : submitLabel}
      </Button>
    </form>
  );
}
