"use client";

import { useEffect, useId, useRef, useState, useTransition } from "react";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";

/**
 * A button that asks before it acts: the first click opens an inline
 * confirmation with its consequences; only the confirm button runs
 * `onConfirm`, which resolves to an error message or null.
 */
export function ConfirmAction({
  trigger,
  triggerVariant = "secondary",
  title,
  children,
  confirmLabel,
  confirmVariant = "primary",
  backLabel = "Go back",
  onConfirm,
}: {
  trigger: string;
  triggerVariant?: "primary" | "secondary" | "danger";
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  confirmVariant?: "primary" | "danger";
  backLabel?: string;
  onConfirm: () => Promise<string | null>;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const triggerButton = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);

  // Move focus into the confirmation when it opens, and back to the trigger when it closes.
  useEffect(() => {
    if (open) heading.current?.focus();
    else if (wasOpen.current) triggerButton.current?.focus();
    wasOpen.current = open;
  }, [open]);

  function confirm() {
    setError(null);
    startTransition(async () => {
      try {
        const problem = await onConfirm();
        if (problem) setError(problem);
        else setOpen(false);
      } catch {
        setError("Something went wrong. Please try again.");
      }
    });
  }

  if (!open) {
    return (
      <Button ref={triggerButton} variant={triggerVariant} onClick={() => setOpen(true)}>
        {trigger}
      </Button>
    );
  }
  return (
    <div role="group" aria-labelledby={titleId} className="w-full space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-4">
      <h3 id={titleId} ref={heading} tabIndex={-1} className="font-semibold text-slate-900 outline-none">
        {title}
      </h3>
      <div className="space-y-2 text-sm text-slate-700">{children}</div>
      {error && <Alert>{error}</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button variant={confirmVariant} onClick={confirm} disabled={pending}>
          {pending ? "Please wait…" : confirmLabel}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
          {backLabel}
        </Button>
      </div>
    </div>
  );
}
