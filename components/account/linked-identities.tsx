"use client";

import type { ActionResult } from "@/lib/dashboard/action-result";
import { ConfirmAction } from "../dashboard/confirm-action";
import { DateTime } from "../dashboard/date-time";
import { Badge } from "../ui/badge";

export interface LinkedIdentityItem {
  id: string;
  connectionName: string;
  connectionEnabled: boolean;
  email: string | null;
  createdAt: string;
  lastSignInAt: string;
}

/** The account page's accounts at other providers the user signs in with, each with Unlink (refused for the last way to sign in). */
export function LinkedIdentities({ identities, unlink }: { identities: LinkedIdentityItem[]; unlink: (identityId: string) => Promise<ActionResult> }) {
  if (!identities.length) return <p className="text-sm text-slate-600">No account at another provider is linked to yours.</p>;
  return (
    <ul className="divide-y divide-slate-200" data-testid="linked-identities">
      {identities.map((identity) => (
        <li key={identity.id} className="space-y-2 py-4 first:pt-0 last:pb-0" data-testid="linked-identity">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium break-words">{identity.connectionName}</span>
            {identity.email && <span className="text-sm break-all text-slate-500">{identity.email}</span>}
            {!identity.connectionEnabled && <Badge tone="red">Turned off by the project</Badge>}
          </div>
          <p className="text-sm text-slate-600">
            Linked <DateTime value={identity.createdAt} /> · last sign-in <DateTime value={identity.lastSignInAt} />
          </p>
          <ConfirmAction
            trigger="Unlink"
            triggerVariant="secondary"
            title={`Unlink ${identity.connectionName}?`}
            confirmLabel="Yes, unlink"
            confirmVariant="danger"
            onConfirm={async () => {
              const result = await unlink(identity.id);
              return result.ok ? null : result.error;
            }}
          >
            <p>You will no longer be able to sign in with {identity.connectionName}. Your account and its apps stay as they are.</p>
          </ConfirmAction>
        </li>
      ))}
    </ul>
  );
}
