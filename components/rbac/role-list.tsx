"use client";

import { useState } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import type { RoleView } from "@/lib/rbac/roles";
import { ConfirmAction } from "../dashboard/confirm-action";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { DefinitionForm } from "./definition-form";
import { PermissionList } from "./permission-list";

export interface RoleActions {
  update: (name: string, form: FormData) => Promise<ActionResult>;
  remove: (name: string) => Promise<ActionResult>;
}

const users = (n: number) => `${n} ${n === 1 ? "user" : "users"}`;

/** What deleting the role changes for the people who hold it. */
function consequence(role: RoleView): string {
  if (!role.user_count) return "Nobody holds it.";
  if (!role.permissions.length) return `Its ${users(role.user_count)} lose it.`;
  return (
    `Its ${users(role.user_count)} lose it and the permissions it gives: ` +
    "their tokens issued from now on, refreshes included, leave out the scopes those permissions allowed."
  );
}

/** The roles with their user counts, the default one marked; each editable in place and deletable after a confirmation. */
export function RoleList({ roles, actions }: { roles: RoleView[]; actions: RoleActions }) {
  if (roles.length === 0) return <p className="text-sm text-slate-600">No roles yet. Create your first one above.</p>;
  return (
    <ul className="divide-y divide-slate-100" aria-label="Roles">
      {roles.map((role) => (
        <RoleRow key={role.name} role={role} actions={actions} />
      ))}
    </ul>
  );
}

function RoleRow({ role, actions }: { role: RoleView; actions: RoleActions }) {
  const [editing, setEditing] = useState(false);
  return (
    <li data-testid="role-row" className="space-y-3 py-3">
      <div className="min-w-0 space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium break-words text-slate-900">{role.name}</span>
          {role.is_default && <Badge tone="brand">Default for new users</Badge>}
          <span className="text-xs text-slate-500" data-testid="role-user-count">
            {users(role.user_count)}
          </span>
        </div>
        {role.description && <p className="text-sm break-words text-slate-700">{role.description}</p>}
        <PermissionList permissions={role.permissions} />
      </div>
      {editing ? (
        <div className="rounded-lg border border-slate-200 bg-slate-50 p-4">
          <DefinitionForm
            kind="role"
            initial={role}
            save={(form) => actions.update(role.name, form)}
            submitLabel="Save role"
            onSaved={() => setEditing(false)}
            onCancel={() => setEditing(false)}
          />
        </div>
      ) : (
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => setEditing(true)} aria-label={`Edit ${role.name}`}>
            Edit
          </Button>
          <ConfirmAction
            trigger="Delete"
            title={`Delete the role ${role.name}?`}
            confirmLabel="Yes, delete it"
            confirmVariant="danger"
            onConfirm={async () => {
              const result = await actions.remove(role.name);
              return result.ok ? null : result.error;
            }}
          >
            <p>{consequence(role)} This cannot be undone.</p>
          </ConfirmAction>
        </div>
      )}
    </li>
  );
}
