"use server";

import { refresh } from "next/cache";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { failure, ownerActor, type ActionResult } from "@/lib/dashboard/action-result";
import { rbacErrorResult, scopeFromForm } from "@/lib/dashboard/rbac-form";
import { createCustomScope, deleteCustomScope, updateCustomScope } from "@/lib/rbac/custom-scopes";

// Every action checks the owner first: server actions are reachable by a direct POST.

const PAGE = "/dashboard/scopes";
const UNKNOWN = failure("There is no such scope. It may have been deleted: reload the page.");

export async function createScopeAction(form: FormData): Promise<ActionResult<{ name: string }>> {
  const owner = await requireOwner(PAGE);
  if (!(form instanceof FormData)) return failure("Some fields need fixing.");
  const input = scopeFromForm(form);
  try {
    const scope = await createCustomScope(await getPrisma(), ownerActor(owner), input);
    refresh();
    return { ok: true, name: scope.name };
  } catch (error) {
    return rbacErrorResult(error, input);
  }
}

export async function updateScopeAction(name: string, form: FormData): Promise<ActionResult> {
  const owner = await requireOwner(PAGE);
  if (typeof name !== "string" || !(form instanceof FormData)) return UNKNOWN;
  const input = scopeFromForm(form);
  delete input.name; // the name is the scope's identity: apps request it by name
  try {
    await updateCustomScope(await getPrisma(), ownerActor(owner), name, input);
  } catch (error) {
    return rbacErrorResult(error, input);
  }
  refresh();
  return { ok: true };
}

export async function deleteScopeAction(name: string): Promise<ActionResult> {
  const owner = await requireOwner(PAGE);
  if (typeof name !== "string") return UNKNOWN;
  try {
    await deleteCustomScope(await getPrisma(), ownerActor(owner), name);
  } catch (error) {
    return rbacErrorResult(error);
  }
  refresh();
  return { ok: true };
}
