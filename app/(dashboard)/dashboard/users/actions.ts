"use server";

import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { ownerAction } from "@/lib/dashboard/server-actions";
import { rbacErrorResult } from "@/lib/dashboard/rbac-form";
import { assignRole, unassignRole } from "@/lib/rbac/roles";
import { unlockSignIn } from "@/lib/auth/signin-throttle";

const PAGE = "/dashboard/users";

/** Gives the user the role named by the form's `role`. */
export async function assignRoleAction(userId: string, form: FormData): Promise<ActionResult> {
  return ownerAction(
    PAGE,
    async ({ prisma, actor }) => {
      const role = form instanceof FormData ? form.get("role") : null;
      if (typeof userId !== "string") return failure("There is no such user.");
      if (typeof role !== "string" || role === "") return failure("Choose a role to give.", { role: "is required" });
      await assignRole(prisma, actor, userId, role);
      return {};
    },
    rbacErrorResult,
  );
}

export async function unassignRoleAction(userId: string, role: string): Promise<ActionResult> {
  return ownerAction(
    PAGE,
    async ({ prisma, actor }) => {
      if (typeof userId !== "string" || typeof role !== "string") return failure("There is no such user or role.");
      if (!(await unassignRole(prisma, actor, userId, role))) return failure(`This user no longer holds the role ${role}. Reload the page.`);
      return {};
    },
    rbacErrorResult,
  );
}

/** Lifts a sign-in lock at once (recorded in the audit log). */
export async function unlockSignInAction(email: string): Promise<ActionResult> {
  return ownerAction(PAGE, async ({ prisma, actor }) => {
    if (typeof email !== "string" || email === "") return failure("There is no such account.");
    if (!(await unlockSignIn(prisma, actor, email))) return failure("This account is no longer locked. Reload the page.");
    return {};
  });
}
