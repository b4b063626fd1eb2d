import { readBody } from "@/lib/api/body";
import { managementRoute } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";
import { getProjectSettings, settingsChangeSchema, updateProjectSettings } from "@/lib/settings";

export const dynamic = "force-dynamic";

/** `GET /api/v1/settings`: the project toggles (DCR, CIMD), resource servers and access-token algorithm. */
export const GET = managementRoute(async ({ prisma }) => json(await getProjectSettings(prisma)));

/** `PATCH /api/v1/settings`: changes some settings (each resource server checked, field errors by index); returns them all. */
export const PATCH = managementRoute(async ({ request, prisma, config, actor }) => {
  const patch = await readBody(request, settingsChangeSchema(config.development));
  return json(await updateProjectSettings(prisma, actor, patch, config));
});
