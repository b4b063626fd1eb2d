"use server";

import { refresh } from "next/cache";
import { recordAudit } from "@/lib/audit";
import { requireOwner } from "@/lib/auth/session";
import { refreshCimdApp } from "@/lib/clients/cimd";
import { isCimdError } from "@/lib/clients/cimd-errors";
import { getPrisma } from "@/lib/db";
import { failure, ownerActor, type ActionResult } from "@/lib/dashboard/action-result";

/** "Refresh now" on a CIMD app's page: fetches its metadata document again, overwriting the fields it sets. */
export async function refreshMetadataAction(clientId: string): Promise<ActionResult> {
  const owner = await requireOwner(`/dashboard/apps/${encodeURIComponent(String(clientId))}`);
  if (typeof clientId !== "string") return failure("This app no longer exists. It may have been deleted.");
  const prisma = await getPrisma();
  const app = await prisma.connectedApp.findUnique({ where: { clientId }, select: { creationMethod: true } });
  if (!app) return failure("This app no longer exists. It may have been deleted.");
  if (app.creationMethod !== "cimd") return failure("Only apps created from a Client ID Metadata Document can be refreshed.");
  try {
    await refreshCimdApp(prisma, clientId);
  } catch (error) {
    if (isCimdError(error)) return failure(`The metadata document could not be used: ${error.message}`);
    throw error;
  }
  await recordAudit(prisma, ownerActor(owner), "connected_app.metadata_refreshed", clientId);
  refresh();
  return { ok: true };
}
