"use client";

import { useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";

/**
 * Submits a form to a server action and keeps its result: `onSubmit` reads
 * the form, clears the last result, runs the action in a transition, and
 * turns a thrown error (network, server) into a readable failure.
 * `onSuccess` gets the successful result (to show a one-time secret, leave…).
 */
export function useFormAction<T extends object>(
  action: (form: FormData) => Promise<ActionResult<T>>,
  onSuccess?: (result: { ok: true } & T) => void,
) {
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setResult(null);
    startTransition(async () => {
      try {
        const outcome = await action(form);
        setResult(outcome);
        if (outcome.ok) onSuccess?.(outcome);
      } catch {
        setResult({ ok: false, error: "Something went wrong. Please try again." });
      }
    });
  }

  return { result, pending, onSubmit, reset: () => setResult(null) };
}
