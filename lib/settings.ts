import { z } from "zod";
import { recordAudit, type Actor } from "./audit";
import type { PrismaClient } from "./db/generated/client.ts";

/** Project-level toggles (DCR and CIMD are used by the self-registration issue). */
export const projectSettingsSchema = z.object({
  dcr_enabled: z.boolean(),
  cimd_enabled: z.boolean(),
});
export type ProjectSettings = z.infer<typeof projectSettingsSchema>;

const DEFAULTS: ProjectSettings = { dcr_enabled: false, cimd_enabled: false };

export async function getProjectSettings(prisma: PrismaClient): Promise<ProjectSettings> {
  const rows = await prisma.projectSetting.findMany({ where: { key: { in: Object.keys(DEFAULTS) } } });
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  return projectSettingsSchema.parse({ ...DEFAULTS, ...stored });
}

/** Updates some settings (an upsert per key) and records what changed. */
export async function updateProjectSettings(
  prisma: PrismaClient,
  actor: Actor,
  patch: Partial<ProjectSettings>,
): Promise<ProjectSettings> {
  const requested = projectSettingsSchema.partial().strict().parse(patch);
  const current = await getProjectSettings(prisma);
  const changes = Object.fromEntries(
    Object.entries(requested).filter(([key, value]) => current[key as keyof ProjectSettings] !== value),
  );
  if (!Object.keys(changes).length) return current;
  await prisma.$transaction(async (tx) => {
    for (const [key, value] of Object.entries(changes)) {
      await tx.projectSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
    }
    await recordAudit(tx, actor, "project_settings.updated", null, changes);
  });
  return getProjectSettings(prisma);
}
