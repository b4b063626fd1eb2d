"use server";

import { refresh } from "next/cache";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { failure, ownerActor, type ActionResult } from "@/lib/dashboard/action-result";
import { rbacErrorResult } from "@/lib/dashboard/rbac-form";
import { assignRole, unassignRole } from "@/lib/rbac/roles";

// Every action checks the owner first: server actions are reachable by a direct POST.

const PAGE = "/dashboard/users";

/** Gives the user the role named by the form's `role`. */
export async function assignRoleAction(userId: string, form: FormData): Promise<ActionResult> {
  const owner = await requireOwner(PAGE);
  const role = form instanceof FormData ? form.get("role") : null;
  if (typeof userId !== "string") return failure("There is no such user.");
  if (typeof role !== "string" || role === "") return failure("Choose a role to give.", { role: "is required" });
  try {
    await assignRole(await getPrisma(), ownerActor(owner), userId, role);
  } catch (error) {
    return rbacErrorResult(error);
  }
  refresh();
  return { ok: true };
}

export async function unassignRoleAction(userId: string, role: string): Promise<ActionResult> {
  const owner = await requireOwner(PAGE);
  if (typeof userId !== "string" || typeof role !== "string") return failure("There is no such user or role.");
  try {
    if (!(await unassignRole(await getPrisma(), ownerActor(owner), userId, role))) {
      return failure(`This user no longer holds the role ${role}. Reload the page.`);
    }
  } catch (error) {
    return rbacErrorResult(error);
  }
  refresh();
  return { ok: true };
}
