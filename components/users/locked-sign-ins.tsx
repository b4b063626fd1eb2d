"use client";

import type { ActionResult } from "@/lib/dashboard/action-result";
import { ConfirmAction } from "../dashboard/confirm-action";
import { DateTime } from "../dashboard/date-time";

export type UnlockSignInAction = (email: string) => Promise<ActionResult>;

/** Accounts locked by too many failed sign-ins, each with an unlock (the lock also ends by itself). */
export function LockedSignIns({ locked, unlock }: { locked: { email: string; until: Date }[]; unlock: UnlockSignInAction }) {
  if (locked.length === 0) return <p className="text-sm text-slate-600">No account is locked.</p>;
  return (
    <ul className="divide-y divide-slate-100" aria-label="Locked sign-ins">
      {locked.map((account) => (
        <li key={account.email} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 space-y-1">
            <span className="font-medium break-words">{account.email}</span>
            <p className="text-xs text-slate-500">
              Locked until <DateTime value={account.until} />
            </p>
          </div>
          <div className="sm:max-w-sm sm:shrink-0">
            <ConfirmAction
              trigger="Unlock"
              title={`Unlock sign-in for ${account.email}?`}
              confirmLabel="Yes, unlock"
              onConfirm={async () => {
                const result = await unlock(account.email);
                return result.ok ? null : result.error;
              }}
            >
              <p>
                The failed attempts are forgotten and the account can sign in at once. If someone is guessing its password,
                they can try again too.
              </p>
            </ConfirmAction>
          </div>
        </li>
      ))}
    </ul>
  );
}
