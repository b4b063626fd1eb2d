"use client";

import { useEffect, useRef, useState, useTransition, type ReactNode } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { TypeToConfirm } from "../ui/type-to-confirm";

/** The server action deletes the app and redirects to the list; it returns only on failure. */
export type DeleteAppAction = (clientId: string) => Promise<ActionResult | undefined>;

const APP_CONSEQUENCE = "Anything using its client ID stops working at once.";

/**
 * Deleting an app (or, with `noun` and `consequence`, another named thing
 * such as a sign-in connection), confirmed by typing its name (as GitHub does
 * for repositories). `clientId` is what `remove` is called with.
 */
export function DeleteApp({
  clientId,
  name,
  remove,
  noun = "app",
  consequence = APP_CONSEQUENCE,
}: {
  clientId: string;
  name: string;
  remove: DeleteAppAction;
  noun?: string;
  consequence?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  function confirm() {
    setError(null);
    startTransition(async () => {
      try {
        const result = await remove(clientId);
        if (result && !result.ok) setError(result.error);
      } catch {
        setError("Something went wrong. Please try again.");
      }
    });
  }

  if (!open) {
    return (
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete {noun}
      </Button>
    );
  }
  return (
    <div className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-950">
      <p>
        This permanently deletes <strong>{name}</strong> and its secrets. {consequence} This cannot be undone.
      </p>
      <TypeToConfirm id="confirm-delete" expected={name} value={typed} onChange={setTyped} inputRef={input} />
      {error && <Alert>{error}</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button variant="danger" onClick={confirm} disabled={pending || typed !== name}>
          {pending ? "Deleting…" : `Delete this ${noun} permanently`}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
          Go back
        </Button>
      </div>
    </div>
  );
}
