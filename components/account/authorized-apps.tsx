"use client";

import type { Ownership } from "@/lib/clients/policy";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { ConfirmAction } from "../dashboard/confirm-action";
import { DateTime } from "../dashboard/date-time";
import { Badge } from "../ui/badge";

export interface AuthorizedAppItem {
  clientId: string;
  name: string;
  host: string | null;
  ownership: Ownership;
  scopes: { name: string; description: string }[];
  grantedAt: string;
}

/** The account page's list of apps the user has authorized, each with Revoke. */
export function AuthorizedApps({
  apps,
  revoke,
}: {
  apps: AuthorizedAppItem[];
  revoke: (clientId: string) => Promise<ActionResult>;
}) {
  if (!apps.length) return <p className="text-sm text-slate-600">You have not authorized any apps.</p>;
  return (
    <ul className="divide-y divide-slate-200" data-testid="authorized-apps">
      {apps.map((app) => (
        <li key={app.clientId} className="space-y-2 py-4 first:pt-0 last:pb-0" data-testid="authorized-app">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium break-words">{app.name}</span>
            {app.host && <span className="text-sm text-slate-500">{app.host}</span>}
            <Badge tone={app.ownership === "first_party" ? "green" : "violet"}>
              {app.ownership === "first_party" ? "First-party" : "Third-party"}
            </Badge>
          </div>
          <p className="text-sm text-slate-600">
            Authorized <DateTime value={app.grantedAt} />
            {app.scopes.length ? " · can " : ""}
            {app.scopes.map((s) => s.description.charAt(0).toLowerCase() + s.description.slice(1)).join("; ")}
          </p>
          <ConfirmAction
            trigger="Revoke access"
            triggerVariant="secondary"
            title={`Revoke ${app.name}?`}
            confirmLabel="Revoke access"
            confirmVariant="danger"
            onConfirm={async () => {
              const result = await revoke(app.clientId);
              return result.ok ? null : result.error;
            }}
          >
            <p>
              {app.name} loses access to your account at once: its tokens stop working, and it must ask you again to
              connect.
            </p>
          </ConfirmAction>
        </li>
      ))}
    </ul>
  );
}
