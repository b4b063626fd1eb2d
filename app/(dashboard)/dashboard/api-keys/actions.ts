"use server";

import { refresh } from "next/cache";
import { z } from "zod";
import { createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { failure, ownerActor, type ActionResult } from "@/lib/dashboard/action-result";

const keyName = z
  .string()
  .trim()
  .min(1, { error: "is required" })
  .max(100, { error: "must be at most 100 characters" });

/** Creates an API key for the signed-in owner; the key is returned once, to the calling component only. */
export async function createApiKeyAction(form: FormData): Promise<ActionResult<{ key: string; name: string }>> {
  const owner = await requireOwner("/dashboard/api-keys");
  const name = keyName.safeParse(form instanceof FormData ? form.get("name") : undefined);
  if (!name.success) return failure("The key needs a name.", { name: name.error.issues[0]?.message ?? "is invalid" });
  const { key } = await createApiKey(await getPrisma(), owner.id, name.data, ownerActor(owner));
  refresh();
  return { ok: true, key, name: name.data };
}

/** Revokes one of the signed-in owner's keys. */
export async function revokeApiKeyAction(id: string): Promise<ActionResult> {
  const owner = await requireOwner("/dashboard/api-keys");
  if (typeof id !== "string" || !z.uuid().safeParse(id).success) return failure("There is no such API key.");
  const revoked = await revokeApiKey(await getPrisma(), ownerActor(owner), owner.id, id);
  if (!revoked) return failure("This key is already revoked or does not exist.");
  refresh();
  return { ok: true };
}
