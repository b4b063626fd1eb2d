"use client";

import { useState } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import type { CustomScopeView } from "@/lib/rbac/custom-scopes";
import { ConfirmAction } from "../dashboard/confirm-action";
import { Button } from "../ui/button";
import { DefinitionForm } from "./definition-form";
import { PermissionList } from "./permission-list";

export interface ScopeActions {
  update: (name: string, form: FormData) => Promise<ActionResult>;
  remove: (name: string) => Promise<ActionResult>;
}

/** The custom scopes, each editable in place and deletable after a confirmation. */
export function ScopeList({ scopes, actions }: { scopes: CustomScopeView[]; actions: ScopeActions }) {
  if (scopes.length === 0) return <p className="text-sm text-slate-600">No custom scopes yet. Define your first one above.</p>;
  return (
    <ul className="divide-y divide-slate-100" aria-label="Custom scopes">
      {scopes.map((scope) => (
        <ScopeRow key={scope.name} scope={scope} actions={actions} />
      ))}
    </ul>
  );
}

function ScopeRow({ scope, actions }: { scope: CustomScopeView; actions: ScopeActions }) {
  const [editing, setEditing] = useState(false);
  return (
    <li data-testid="scope-row" className="space-y-3 py-3">
      <div className="min-w-0 space-y-1">
        <p className="font-mono text-sm font-medium break-all text-slate-900">{scope.name}</p>
        <p className="text-sm break-words text-slate-700">{scope.description}</p>
        <PermissionList permissions={scope.permissions} label="Needs" />
      </div>
      {editing ? (
        <div className="rounded-lg border border-slate-200 bg-slate-50 p-4">
          <DefinitionForm
            kind="scope"
            initial={scope}
            save={(form) => actions.update(scope.name, form)}
            submitLabel="Save scope"
            onSaved={() => setEditing(false)}
            onCancel={() => setEditing(false)}
          />
        </div>
      ) : (
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => setEditing(true)} aria-label={`Edit ${scope.name}`}>
            Edit
          </Button>
          <ConfirmAction
            trigger="Delete"
            title={`Delete the scope ${scope.name}?`}
            confirmLabel="Yes, delete it"
            confirmVariant="danger"
            onConfirm={async () => {
              const result = await actions.remove(scope.name);
              return result.ok ? null : result.error;
            }}
          >
            <p>
              Users can no longer grant it: tokens issued from now on, refreshes included, leave it out, and consent lists
              it as access the user cannot give. Apps keep it on their allowed scopes until you remove it there.
            </p>
          </ConfirmAction>
        </div>
      )}
    </li>
  );
}
