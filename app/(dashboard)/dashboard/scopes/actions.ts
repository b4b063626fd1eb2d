"use server";

import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { ownerAction } from "@/lib/dashboard/server-actions";
import { rbacErrorResult, scopeFromForm } from "@/lib/dashboard/rbac-form";
import { createCustomScope, deleteCustomScope, updateCustomScope } from "@/lib/rbac/custom-scopes";

const PAGE = "/dashboard/scopes";
const UNKNOWN = failure("There is no such scope. It may have been deleted: reload the page.");

export async function createScopeAction(form: FormData): Promise<ActionResult<{ name: string }>> {
  const input = form instanceof FormData ? scopeFromForm(form) : null;
  return ownerAction(
    PAGE,
    async ({ prisma, actor }) => {
      if (!input) return failure("Some fields need fixing.");
      return { name: (await createCustomScope(prisma, actor, input)).name };
    },
    (error) => rbacErrorResult(error, input ?? {}),
  );
}

export async function updateScopeAction(name: string, form: FormData): Promise<ActionResult> {
  const input = form instanceof FormData ? scopeFromForm(form) : null;
  if (input) delete input.name; // the name is the scope's identity: apps request it by name
  return ownerAction(
    PAGE,
    async ({ prisma, actor }) => {
      if (typeof name !== "string" || !input) return UNKNOWN;
      await updateCustomScope(prisma, actor, name, input);
      return {};
    },
    (error) => rbacErrorResult(error, input ?? {}),
  );
}

export async function deleteScopeAction(name: string): Promise<ActionResult> {
  return ownerAction(
    PAGE,
    async ({ prisma, actor }) => {
      if (typeof name !== "string") return UNKNOWN;
      await deleteCustomScope(prisma, actor, name);
      return {};
    },
    rbacErrorResult,
  );
}
