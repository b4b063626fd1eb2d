"use client";

import { useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { useHydrated } from "../ui/use-hydrated";

/**
 * Submits a form to a server action and keeps its result: `onSubmit` reads
 * the form, clears the last result, runs the action in a transition, and
 * turns a thrown error (network, server) into a readable failure.
 * `onSuccess` gets the successful result (to show a one-time secret, leave…).
 * `hydrated` turns true once React handles the submit: before, the browser
 * would send the form itself, so a submit button can wait for it.
 */
export function useFormAction<T extends object>(
  action: (form: FormData) => Promise<ActionResult<T>>,
  onSuccess?: (result: { ok: true } & T) => void,
) {
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();

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

  return { result, pending, hydrated, onSubmit, reset: () => setResult(null) };
}
