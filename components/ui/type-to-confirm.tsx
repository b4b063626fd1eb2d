"use client";

import type { Ref } from "react";

/**
 * The "Type … to confirm" box of a destructive action (as GitHub does for
 * repositories): the caller enables its button once `value` matches.
 */
export function TypeToConfirm({
  id,
  name,
  expected,
  value,
  onChange,
  inputRef,
  autoFocus,
}: {
  id: string;
  /** Sent with the form when the action reads it. */
  name?: string;
  expected: string;
  value: string;
  onChange: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-medium">
        Type <span className="font-mono">{expected}</span> to confirm
      </label>
      <input
        id={id}
        name={name}
        ref={inputRef}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
        className="block w-full rounded-lg border border-red-300 bg-surface px-3 py-2 text-base focus:ring-2 focus:ring-red-500/30 focus:outline-none"
      />
    </div>
  );
}
