"use server";

import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { ownerAction } from "@/lib/dashboard/server-actions";
import { rbacErrorResult, roleFromForm } from "@/lib/dashboard/rbac-form";
import { createRole, deleteRole, setDefaultRole, updateRole } from "@/lib/rbac/roles";

const PAGE = "/dashboard/roles";
const UNKNOWN = failure("There is no such role. It may have been deleted: reload the page.");

export async function createRoleAction(form: FormData): Promise<ActionResult<{ name: string }>> {
  const input = form instanceof FormData ? roleFromForm(form) : null;
  return ownerAction(
    PAGE,
    async ({ prisma, actor }) => {
      if (!input) return failure("Some fields need fixing.");
      return { name: (await createRole(prisma, actor, input)).name };
    },
    (error) => rbacErrorResult(error, input ?? {}),
  );
}

export async function updateRoleAction(name: string, form: FormData): Promise<ActionResult> {
  const input = form instanceof FormData ? roleFromForm(form) : null;
  if (input) delete input.name; // roles are assigned by name
  return ownerAction(
    PAGE,
    async ({ prisma, actor }) => {
      if (typeof name !== "string" || !input) return UNKNOWN;
      await updateRole(prisma, actor, name, input);
      return {};
    },
    (error) => rbacErrorResult(error, input ?? {}),
  );
}

export async function deleteRoleAction(name: string): Promise<ActionResult> {
  return ownerAction(
    PAGE,
    async ({ prisma, actor }) => {
      if (typeof name !== "string") return UNKNOWN;
      await deleteRole(prisma, actor, name);
      return {};
    },
    rbacErrorResult,
  );
}

/** The form's `default_role`: a role name, or "" for none. */
export async function setDefaultRoleAction(form: FormData): Promise<ActionResult> {
  return ownerAction(
    PAGE,
    async ({ prisma, actor }) => {
      const value = form instanceof FormData ? form.get("default_role") : null;
      if (typeof value !== "string") return failure("Choose a role, or no default role.");
      await setDefaultRole(prisma, actor, value === "" ? null : value);
      return {};
    },
    rbacErrorResult,
  );
}
