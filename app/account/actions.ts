"use server";

import { refresh } from "next/cache";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { userActor } from "@/lib/audit";
import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { revokeAuthorizedApp } from "@/lib/grants/authorized-apps";

/** The signed-in user revokes one of their authorized apps (a direct POST reaches this too: it checks the session). */
export async function revokeAuthorizedAppAction(clientId: string): Promise<ActionResult> {
  const user = await requireUser("/account");
  if (typeof clientId !== "string") return failure("Unknown app.");
  const revoked = await revokeAuthorizedApp(await getPrisma(), userActor(user), user.id, clientId);
  refresh();
  return revoked ? { ok: true } : failure("This app no longer has access to your account.");
}
