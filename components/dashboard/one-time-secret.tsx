"use client";

import { useEffect, useRef } from "react";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { CopyButton } from "../ui/copy-button";

export interface RevealedValue {
  label: string;
  value: string;
  /** The one-time secret itself (false for identifiers shown alongside, like the client_id). */
  secret: boolean;
}

/**
 * Shows a just-issued secret once, with copy buttons and a clear warning.
 * The parent holds the value (useOneTimeSecret) and leaves with
 * router.replace in `onContinue`, so Back never returns here.
 */
export function OneTimeSecret({
  title,
  values,
  what = "secret",
  ifLost,
  continueLabel = "I have saved it — continue",
  onContinue,
}: {
  title: string;
  values: RevealedValue[];
  what?: string;
  /** What to do if it is lost, e.g. "rotate the secret on the app's page". */
  ifLost: string;
  continueLabel?: string;
  onContinue: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  return (
    <section
      aria-labelledby="one-time-secret-title"
      className="space-y-4 rounded-xl border-2 border-amber-300 bg-surface p-4 shadow-sm sm:p-6"
      data-testid="one-time-secret"
    >
      <h2 id="one-time-secret-title" ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">
        {title}
      </h2>
      <Alert tone="warning">
        <strong className="font-semibold">You will not see this {what} again.</strong> Copy it now and keep it
        somewhere safe, such as a password or secret manager. Only a hash of it is stored, so nobody can show it to
        you later; if you lose it, {ifLost}.
      </Alert>
      <dl className="space-y-3">
        {values.map((item) => (
          <div key={item.label} className="space-y-1">
            <dt className="text-sm font-medium text-slate-700">{item.label}</dt>
            <dd className="flex flex-col gap-2 sm:flex-row sm:items-center">
              <code
                className={`block min-w-0 flex-1 rounded-lg px-3 py-2 font-mono text-sm break-all select-all ${
                  item.secret ? "bg-amber-50 ring-1 ring-amber-300" : "bg-slate-100"
                }`}
                data-testid={item.secret ? "secret-value" : undefined}
              >
                {item.value}
              </code>
              <CopyButton value={item.value} label={`Copy ${item.label.toLowerCase()}`} />
            </dd>
          </div>
        ))}
      </dl>
      <Button onClick={onContinue} className="w-full sm:w-auto">
        {continueLabel}
      </Button>
    </section>
  );
}
