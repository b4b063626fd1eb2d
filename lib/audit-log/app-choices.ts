import type { PrismaClient } from "../db/generated/client.ts";
import type { AppChoice } from "../connections/app-choices";

/** At most this many apps are offered by the app filter (by name); another is reached by its link. */
export const APP_FILTER_CHOICES = 500;

/** Every app and machine client, by name, for the audit log's app filter. */
export function auditAppChoices(prisma: PrismaClient): Promise<AppChoice[]> {
  return prisma.connectedApp.findMany({ select: { clientId: true, name: true }, orderBy: [{ name: "asc" }, { clientId: "asc" }], take: APP_FILTER_CHOICES });
}
