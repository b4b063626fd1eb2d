import { readBody } from "@/lib/api/body";
import { managementRoute } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";
import { projectSettingsPatchSchema } from "@/lib/api/schemas";
import { getProjectSettings, updateProjectSettings } from "@/lib/settings";

export const dynamic = "force-dynamic";

/** `GET /api/v1/settings`: the project toggles (DCR, CIMD). */
export const GET = managementRoute(async ({ prisma }) => json(await getProjectSettings(prisma)));

/** `PATCH /api/v1/settings`: changes some toggles; returns them all. */
export const PATCH = managementRoute(async ({ request, prisma, actor }) => {
  const patch = await readBody(request, projectSettingsPatchSchema);
  return json(await updateProjectSettings(prisma, actor, patch));
});
