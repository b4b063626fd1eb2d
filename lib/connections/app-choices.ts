import { typesWhere } from "../clients/policy";
import type { PrismaClient } from "../db/generated/client.ts";

/** An app the owner may enable an app-level connection for. */
export interface AppChoice {
  clientId: string;
  name: string;
}

/** The apps whose type may offer app-level connections (policy table: first-party apps), by name. */
export async function appLevelConnectionChoices(prisma: PrismaClient): Promise<AppChoice[]> {
  return prisma.connectedApp.findMany({
    where: { clientType: { in: typesWhere((p) => p.signInConnections === "project_and_app") } },
    select: { clientId: true, name: true },
    orderBy: [{ name: "asc" }, { clientId: "asc" }],
  });
}
