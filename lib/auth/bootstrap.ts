import type { Config } from "../config";
import { hashToken, randomToken } from "../crypto/tokens";
import { isUniqueViolation } from "../db/unique-violation";
import type { PrismaClient } from "../db/generated/client.ts";
import { hashPassword } from "./password";
import { END_SESSIONS } from "./session-epoch";
import { conflictError } from "../domain-error";
import { createUser, emailTaken, isEmailTaken, newUserSchema, type NewUser } from "./users";

/** How long a printed setup URL stays valid. */
export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export type BootstrapResult =
  | { kind: "owner-exists" }
  | { kind: "owner-from-env"; email: string }
  | { kind: "setup-url"; url: string };

/**
 * Makes sure the instance can get its first owner without a hole: if no owner
 * exists, OWNER_EMAIL/OWNER_PASSWORD create (or promote) one; otherwise a
 * one-time setup URL is issued for the operator to open. Nobody becomes owner
 * by merely being the first visitor.
 */
export async function bootstrapOwner(prisma: PrismaClient, config: Config): Promise<BootstrapResult> {
  if (await prisma.user.count({ where: { role: "owner" } })) {
    await prisma.setupToken.deleteMany({});
    return { kind: "owner-exists" };
  }
  if (config.ownerEmail && config.ownerPassword) {
    const user = await upsertOwner(prisma, { email: config.ownerEmail, password: config.ownerPassword });
    return { kind: "owner-from-env", email: user.email };
  }
  await prisma.setupToken.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  const token = randomToken(32);
  await prisma.setupToken.create({
    data: { tokenHash: hashToken(token), expiresAt: new Date(Date.now() + SETUP_TOKEN_TTL_MS) },
  });
  return { kind: "setup-url", url: `${config.issuer}/setup?token=${token}` };
}

/** Creates an owner, or makes an existing account with that email an owner with that password (its sessions end, as on any password change). */
export async function upsertOwner(prisma: PrismaClient, input: NewUser) {
  try {
    return await createUser(prisma, input, "owner");
  } catch (error) {
    if (!isEmailTaken(error)) throw error;
    const { email, password } = newUserSchema.parse(input);
    return prisma.user.update({
      where: { email },
      data: { role: "owner", passwordHash: await hashPassword(password), ...END_SESSIONS },
    });
  }
}

/** Whether a setup token is currently usable (for showing the setup form). */
export async function isSetupTokenValid(prisma: PrismaClient, token: string): Promise<boolean> {
  const found = await prisma.setupToken.findUnique({ where: { tokenHash: hashToken(token) } });
  return !!found && found.expiresAt > new Date();
}

/**
 * Spends a setup token to create the first owner. One transaction under an
 * advisory lock, so two tokens used at once (two instances each printed one)
 * still yield exactly one owner.
 */
export async function completeSetup(prisma: PrismaClient, token: string, input: NewUser) {
  const { email, password, name } = newUserSchema.parse(input);
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('connected-apps.owner-setup'))`;
    const spent = await tx.setupToken.deleteMany({
      where: { tokenHash: hashToken(token), expiresAt: { gt: new Date() } },
    });
    if (spent.count !== 1) throw conflictError("This setup link is invalid or has expired");
    if (await tx.user.count({ where: { role: "owner" } })) {
      throw conflictError("An owner already exists; sign in instead");
    }
    await tx.setupToken.deleteMany({});
    try {
      return await tx.user.create({ data: { email, name, passwordHash, role: "owner" } });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw emailTaken();
      }
      throw error;
    }
  });
}
