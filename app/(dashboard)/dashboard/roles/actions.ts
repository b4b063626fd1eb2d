"use server";

import { refresh } from "next/cache";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { failure, ownerActor, type ActionResult } from "@/lib/dashboard/action-result";
import { rbacErrorResult, roleFromForm } from "@/lib/dashboard/rbac-form";
import { createRole, deleteRole, setDefaultRole, updateRole } from "@/lib/rbac/roles";

// Every action checks the owner first: server actions are reachable by a direct POST.

const PAGE = "/dashboard/roles";
const UNKNOWN = failure("There is no such role. It may have been deleted: reload the page.");

export async function createRoleAction(form: FormData): Promise<ActionResult<{ name: string }>> {
  const owner = await requireOwner(PAGE);
  if (!(form instanceof FormData)) return failure("Some fields need fixing.");
  const input = roleFromForm(form);
  try {
    const role = await createRole(await getPrisma(), ownerActor(owner), input);
    refresh();
    return { ok: true, name: role.name };
  } catch (error) {
    return rbacErrorResult(error, input);
  }
}

export async function updateRoleAction(name: string, form: FormData): Promise<ActionResult> {
  const owner = await requireOwner(PAGE);
  if (typeof name !== "string" || !(form instanceof FormData)) return UNKNOWN;
  const input = roleFromForm(form);
  delete input.name; // roles are assigned by name
  try {
    await updateRole(await getPrisma(), ownerActor(owner), name, input);
  } catch (error) {
    return rbacErrorResult(error, input);
  }
  refresh();
  return { ok: true };
}

export async function deleteRoleAction(name: string): Promise<ActionResult> {
  const owner = await requireOwner(PAGE);
  if (typeof name !== "string") return UNKNOWN;
  try {
    await deleteRole(await getPrisma(), ownerActor(owner), name);
  } catch (error) {
    return rbacErrorResult(error);
  }
  refresh();
  return { ok: true };
}

/** The form's `default_role`: a role name, or "" for none. */
export async function setDefaultRoleAction(form: FormData): Promise<ActionResult> {
  const owner = await requireOwner(PAGE);
  const value = form instanceof FormData ? form.get("default_role") : null;
  if (typeof value !== "string") return failure("Choose a role, or no default role.");
  try {
    await setDefaultRole(await getPrisma(), ownerActor(owner), value === "" ? null : value);
  } catch (error) {
    return rbacErrorResult(error);
  }
  refresh();
  return { ok: true };
}
