import type { PrismaClient } from "../db/generated/client.ts";
import { signInMethodsFor, type OfferedConnection } from "./connections";

/** The sign-in methods an app's sign-in page offers (its dashboard page lists them); null for no such app. */
export async function signInMethodsOfApp(prisma: PrismaClient, clientId: string): Promise<{ password: boolean; connections: OfferedConnection[] } | null> {
  const app = await prisma.connectedApp.findUnique({ where: { clientId }, select: { id: true, clientType: true } });
  return app && signInMethodsFor(prisma, { id: app.id, clientType: app.clientType });
}
