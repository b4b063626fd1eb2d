"use client";

import { useId, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import type { UserWithRoles } from "@/lib/rbac/users-with-roles";
import { DateTime } from "../dashboard/date-time";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";

export interface UserRoleActions {
  assign: (userId: string, form: FormData) => Promise<ActionResult>;
  unassign: (userId: string, role: string) => Promise<ActionResult>;
}

/**
 * Users with their roles: each role can be removed, and any other role
 * assigned. `connections`: the names of the sign-in connections each user is
 * linked to, by user id.
 */
export function UserRoleList({
  users,
  roles,
  actions,
  connections = {},
}: {
  users: UserWithRoles[];
  roles: readonly string[];
  actions: UserRoleActions;
  connections?: Readonly<Record<string, readonly string[]>>;
}) {
  return (
    <ul className="divide-y divide-slate-100" aria-label="Users">
      {users.map((user) => (
        <UserRow key={user.id} user={user} roles={roles} actions={actions} connections={connections[user.id] ?? []} />
      ))}
    </ul>
  );
}

function UserRow({ user, roles, actions, connections }: { user: UserWithRoles; roles: readonly string[]; actions: UserRoleActions; connections: readonly string[] }) {
  const id = useId();
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [removing, startRemoving] = useTransition();
  const { result, pending, hydrated, onSubmit } = useFormAction((form) => actions.assign(user.id, form));
  const assignable = roles.filter((role) => !user.roles.includes(role));

  function remove(role: string) {
    setRemoveError(null);
    startRemoving(async () => {
      try {
        const outcome = await actions.unassign(user.id, role);
        if (!outcome.ok) setRemoveError(outcome.error);
      } catch {
        setRemoveError("Something went wrong. Please try again.");
      }
    });
  }

  return (
    <li data-testid="user-row" className="space-y-3 py-3">
      <div className="min-w-0 space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium break-all">{user.email}</span>
          {user.role === "owner" && <Badge tone="violet">Owner</Badge>}
        </div>
        <p className="text-xs text-slate-500">
          {user.name && <span className="break-words">{user.name} · </span>}
          Joined <DateTime value={user.created_at} dateOnly />
          {" · "}
          <span className="font-mono break-all">{user.id}</span>
        </p>
        {connections.length > 0 && (
          <p className="text-xs text-slate-600" data-testid="user-connections">
            Linked: {connections.join(", ")}
          </p>
        )}
      </div>
      <div className="space-y-1">
        <p id={`${id}-roles`} className="text-sm font-medium text-slate-700">
          Roles
        </p>
        {user.roles.length ? (
          <ul aria-labelledby={`${id}-roles`} className="flex flex-wrap gap-2" data-testid="user-roles">
            {user.roles.map((role) => (
              <li key={role} className="inline-flex max-w-full items-center gap-1 rounded-full bg-brand-50 py-0.5 pr-0.5 pl-3 text-sm text-brand-700 ring-1 ring-brand-600/20 ring-inset">
                <span className="min-w-0 break-words">{role}</span>
                <button
                  type="button"
                  onClick={() => remove(role)}
                  disabled={removing}
                  aria-label={`Remove the role ${role} from ${user.email}`}
                  className="inline-flex h-8 w-8 shrink-0 items-center justify-center rounded-full text-base hover:bg-brand-100 disabled:opacity-60"
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">No roles: this user can grant only built-in scopes.</p>
        )}
        {removeError && <Alert>{removeError}</Alert>}
      </div>
      {assignable.length > 0 && (
        <form method="post" onSubmit={onSubmit} className="flex flex-col gap-2 sm:flex-row sm:items-end" noValidate aria-label={`Assign ${user.email} a role`}>
          <div className="min-w-0 space-y-1 sm:w-64">
            <label htmlFor={`${id}-assign`} className="block text-sm font-medium text-slate-700">
              Assign a role
            </label>
            <select
              id={`${id}-assign`}
              name="role"
              defaultValue={assignable[0]}
              className="block w-full rounded-lg border border-slate-300 bg-surface px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:ring-2 focus:ring-brand-600/30 focus:outline-none"
            >
              {assignable.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" variant="secondary" disabled={pending || !hydrated}>
            {pending ? "Assigning…" : "Assign role"}
          </Button>
        </form>
      )}
      {result && !result.ok && <Alert>{result.error}</Alert>}
    </li>
  );
}
