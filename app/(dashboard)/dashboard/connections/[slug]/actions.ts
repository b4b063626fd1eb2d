"use server";

import { redirect, RedirectType } from "next/navigation";
import { deleteConnection, updateConnection } from "@/lib/connections/connections";
import { appErrorResult, failure, type ActionResult } from "@/lib/dashboard/action-result";
import { connectionInputFromForm } from "@/lib/dashboard/connection-form";
import { ownerAction } from "@/lib/dashboard/server-actions";

const returnTo = (slug: string) => `/dashboard/connections/${encodeURIComponent(String(slug))}`;
const UNKNOWN = failure("This connection no longer exists. It may have been deleted.");

/** Saves the connection's settings; a blank client secret keeps the stored one. */
export async function updateConnectionAction(slug: string, form: FormData): Promise<ActionResult> {
  return ownerAction(
    returnTo(slug),
    async ({ prisma, actor, config }) => {
      if (typeof slug !== "string" || !(form instanceof FormData)) return UNKNOWN;
      await updateConnection(prisma, actor, config.issuer, slug, connectionInputFromForm(form, "edit"));
      return {};
    },
    appErrorResult,
  );
}

/** Deletes it and goes to the list, replacing this history entry. */
export async function deleteConnectionAction(slug: string): Promise<ActionResult> {
  return ownerAction(returnTo(slug), async ({ prisma, actor }) => {
    if (typeof slug !== "string") return UNKNOWN;
    await deleteConnection(prisma, actor, slug);
    redirect("/dashboard/connections?notice=deleted", RedirectType.replace);
  });
}
