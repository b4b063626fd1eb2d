"use server";

import { refreshCimdAppNow } from "@/lib/clients/cimd";
import { isCimdError } from "@/lib/clients/cimd-errors";
import { appErrorResult, failure, type ActionResult } from "@/lib/dashboard/action-result";
import { ownerAction } from "@/lib/dashboard/server-actions";

/** "Refresh now" on a CIMD app's page: fetches its metadata document again, overwriting the fields it sets. */
export async function refreshMetadataAction(clientId: string): Promise<ActionResult> {
  return ownerAction(
    `/dashboard/apps/${encodeURIComponent(String(clientId))}`,
    async ({ prisma, actor }) => {
      if (typeof clientId !== "string") return failure("This app no longer exists. It may have been deleted.");
      await refreshCimdAppNow(prisma, actor, clientId);
      return {};
    },
    (error) => (isCimdError(error) ? failure(`The metadata document could not be used: ${error.message}`) : appErrorResult(error)),
  );
}
