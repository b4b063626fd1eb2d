import type { Prisma } from "../db/generated/client.ts";
import { conflictError } from "../domain-error";

/** Serialises changes to the ways users can sign in (connections, the password switch) across instances. */
export const SIGN_IN_METHODS_LOCK = "SELECT pg_advisory_xact_lock(hashtext('connected-apps.sign-in-methods'))";

/** Refusing a change to a connection while email and password sign-in is off. */
const CONNECTION_REQUIRED =
  "Email and password sign-in is off, so at least one enabled project-level connection must remain (turn email and password sign-in back on first)";

/** Refusing to turn email and password sign-in off (the caller is the switch itself, so "turn it back on" would not help). */
export const PASSWORD_SIGNIN_REQUIRED =
  "Email and password sign-in can be turned off only while an enabled project-level connection exists: add or enable one first";

/**
 * Refuses a change that would leave nobody a way to sign in: with the
 * password connection off, at least one project-level connection must stay
 * enabled (every app offers those). Call inside the changing transaction,
 * after taking SIGN_IN_METHODS_LOCK.
 */
export async function assertSomeSignInRemains(tx: Prisma.TransactionClient, passwordEnabled: boolean, refusal: string = CONNECTION_REQUIRED): Promise<void> {
  if (passwordEnabled) return;
  const count = await tx.connection.count({ where: { level: "project", enabled: true } });
  if (count === 0) throw conflictError(refusal);
}
