"use client";

import Link from "next/link";
import { useId } from "react";
import { scopesOf } from "@/lib/dashboard/app-form";

export interface ScopeChoice {
  name: string;
  description: string;
}

/**
 * Toggle buttons under the allowed-scopes box: one per built-in and custom
 * scope, pressed while the scope is in the box. The box stays the source of
 * truth (scopes can still be typed), so nothing is lost that the picker does
 * not list, e.g. a scope whose definition was deleted.
 */
export function ScopePicker({
  value,
  onChange,
  builtIn,
  custom,
}: {
  value: string;
  onChange: (value: string) => void;
  builtIn: readonly ScopeChoice[];
  custom: readonly ScopeChoice[];
}) {
  const chosen = new Set(scopesOf(value));
  const toggle = (scope: string) => {
    const list = scopesOf(value);
    onChange((chosen.has(scope) ? list.filter((s) => s !== scope) : [...list, scope]).join(" "));
  };
  return (
    <div className="space-y-2" data-testid="scope-picker">
      <ChoiceGroup title="Built-in scopes" choices={builtIn} chosen={chosen} toggle={toggle} />
      {custom.length > 0 ? (
        <ChoiceGroup title="Custom scopes" choices={custom} chosen={chosen} toggle={toggle} />
      ) : (
        <p className="text-xs text-slate-500">
          No custom scopes yet.{" "}
          <Link href="/dashboard/scopes" className="text-brand-700 underline">
            Define them on the Scopes page
          </Link>{" "}
          to let apps ask for access to your own API.
        </p>
      )}
    </div>
  );
}

function ChoiceGroup({
  title,
  choices,
  chosen,
  toggle,
}: {
  title: string;
  choices: readonly ScopeChoice[];
  chosen: ReadonlySet<string>;
  toggle: (scope: string) => void;
}) {
  const id = useId();
  return (
    <div role="group" aria-labelledby={id} className="space-y-1">
      <p id={id} className="text-xs font-medium text-slate-600">
        {title} (click to add or remove)
      </p>
      <ul className="flex flex-wrap gap-1.5">
        {choices.map((choice) => {
          const on = chosen.has(choice.name);
          return (
            <li key={choice.name} className="max-w-full">
              <button
                type="button"
                aria-pressed={on}
                title={choice.description}
                onClick={() => toggle(choice.name)}
                className={`inline-flex max-w-full min-h-8 items-center gap-1 rounded-full px-2.5 py-1 font-mono text-xs break-all ring-1 ring-inset ${
                  on ? "bg-brand-600 text-white ring-brand-600" : "bg-surface text-slate-700 ring-slate-300 hover:bg-slate-50"
                }`}
              >
                <span aria-hidden="true">{on ? "✓" : "+"}</span>
                {choice.name}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
