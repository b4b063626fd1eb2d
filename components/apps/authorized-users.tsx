"use client";

import type { ActionResult } from "@/lib/dashboard/action-result";
import { ConfirmAction } from "../dashboard/confirm-action";
import { DateTime } from "../dashboard/date-time";

export interface AuthorizedUserItem {
  id: string;
  email: string;
  name: string | null;
  scopes: string[];
  grantedAt: string;
}

/** The app page's list of people who authorized the app, each with Revoke (as the management API's DELETE). */
export function AuthorizedUsers({
  appName,
  users,
  revoke,
}: {
  appName: string;
  users: AuthorizedUserItem[];
  revoke: (userId: string) => Promise<ActionResult>;
}) {
  if (!users.length) return <p className="text-sm text-slate-600">No one has authorized this app yet.</p>;
  return (
    <ul className="divide-y divide-slate-200 text-sm" data-testid="app-users">
      {users.map((g) => (
        <li key={g.id} className="space-y-2 py-3 first:pt-0 last:pb-0" data-testid="app-user">
          <div className="flex flex-col gap-1 sm:flex-row sm:items-center sm:justify-between">
            <span className="min-w-0 break-words">
              <span className="font-medium">{g.email}</span>
              {g.name && <span className="text-slate-500"> · {g.name}</span>}
            </span>
            <span className="text-slate-600">
              <span className="font-mono text-xs">{g.scopes.join(" ") || "no scopes"}</span> · <DateTime value={g.grantedAt} dateOnly />
            </span>
          </div>
          <ConfirmAction
            trigger="Revoke"
            title={`Revoke ${g.email}'s authorization?`}
            confirmLabel="Revoke authorization"
            confirmVariant="danger"
            onConfirm={async () => {
              const result = await revoke(g.id);
              return result.ok ? null : result.error;
            }}
          >
            <p>
              {appName} loses access to this account at once: its tokens for {g.email} stop working, and the app must ask
              them to consent again.
            </p>
          </ConfirmAction>
        </li>
      ))}
    </ul>
  );
}
