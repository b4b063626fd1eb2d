"use server";

import { z } from "zod";
import { createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { ownerAction } from "@/lib/dashboard/server-actions";

const PAGE = "/dashboard/api-keys";
const keyName = z
  .string()
  .trim()
  .min(1, { error: "is required" })
  .max(100, { error: "must be at most 100 characters" });

/** Creates an API key for the signed-in owner; the key is returned once, to the calling component only. */
export async function createApiKeyAction(form: FormData): Promise<ActionResult<{ key: string; name: string }>> {
  return ownerAction(PAGE, async ({ prisma, actor, ownerId }) => {
    const name = keyName.safeParse(form instanceof FormData ? form.get("name") : undefined);
    if (!name.success) return failure("The key needs a name.", { name: name.error.issues[0]?.message ?? "is invalid" });
    const { key } = await createApiKey(prisma, ownerId, name.data, actor);
    return { key, name: name.data };
  });
}

/** Revokes one of the signed-in owner's keys. */
export async function revokeApiKeyAction(id: string): Promise<ActionResult> {
  return ownerAction(PAGE, async ({ prisma, actor, ownerId }) => {
    if (typeof id !== "string" || !z.uuid().safeParse(id).success) return failure("There is no such API key.");
    if (!(await revokeApiKey(prisma, actor, ownerId, id))) return failure("This key is already revoked or does not exist.");
    return {};
  });
}
