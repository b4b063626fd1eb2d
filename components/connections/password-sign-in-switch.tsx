"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { Alert } from "../ui/alert";

export type SetPasswordSignInAction = (enabled: boolean) => Promise<ActionResult>;

/**
 * The built-in email-and-password connection's on/off switch. Turning it off
 * is refused while no enabled project-level connection exists: the refusal
 * is shown here, in the server's words.
 */
export function PasswordSignInSwitch({ enabled, save }: { enabled: boolean; save: SetPasswordSignInAction }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function toggle() {
    setError(null);
    startTransition(async () => {
      try {
        const result = await save(!enabled);
        if (!result.ok) setError(result.error);
      } catch {
        setError("Something went wrong. Please try again.");
      }
    });
  }

  return (
    <div className="space-y-2">
      <button
        type="button"
        role="switch"
        aria-checked={enabled}
        aria-label="Email and password sign-in"
        disabled={pending}
        onClick={toggle}
        className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus:ring-2 focus:ring-brand-600/30 focus:outline-none disabled:opacity-60 ${
          enabled ? "bg-brand-600" : "bg-slate-300"
        }`}
      >
        <span className={`inline-block size-5 rounded-full bg-surface shadow transition-transform ${enabled ? "translate-x-5" : "translate-x-0.5"}`} />
      </button>
      {error && <Alert>{error}</Alert>}
    </div>
  );
}
