import type { Actor } from "../audit";
import { createApiKey, revokeApiKey } from "../auth/api-keys";
import { upsertOwner } from "../auth/bootstrap";
import { unlockSignIn } from "../auth/signin-throttle";
import { createUser } from "../auth/users";
import { ensureSigningKeys, rotateSigningKeys } from "../keys/signing-keys";
import type { PrismaClient } from "../db/generated/client.ts";
import { assignRole, createRole, unassignRole } from "../rbac/roles";
import { findUserByEmail } from "../rbac/users-with-roles";

export const USAGE = `usage: npm run admin -- <command> [options]

commands:
  create-owner    --email E (--password P | --password-stdin) [--name N]
                  create a project owner, or promote the account with that email
  create-user     --email E (--password P | --password-stdin) [--name N]
                  create an end user (member)
  create-api-key  [--owner E] [--name N]
                  create a management API key for an owner (the only owner if
                  --owner is omitted); the key is printed once and stored hashed
  revoke-api-key  --name N [--owner E]
                  revoke the owner's active API keys named N
  rotate-signing-keys
                  new RS256 and ES256 token-signing keys sign from now on; the
                  old ones stay in JWKS until tokens they signed have expired
  create-role     --name R [--permissions a,b]
                  create a role carrying these permissions (comma-separated)
  assign-role     --email E --role R
                  give the user the role (nothing changes if they hold it)
  unassign-role   --email E --role R
                  take the role away from the user
  unlock-sign-in  --email E
                  lift the temporary sign-in lock after too many failed
                  attempts for this email`;

/** How the CLI appears in the audit log. */
const CLI_ACTOR: Actor = { type: "system", id: null, label: "admin CLI" };

export class AdminCommandError extends Error {
  override name = "AdminCommandError";
}

export interface AdminOptions {
  email?: string;
  password?: string;
  name?: string;
  owner?: string;
  role?: string;
  /** Comma-separated permission names. */
  permissions?: string;
}

/** Runs one admin command and returns what to print. */
export async function runAdminCommand(prisma: PrismaClient, command: string, options: AdminOptions): Promise<string> {
  switch (command) {
    case "create-owner": {
      const user = await upsertOwner(prisma, credentials(options));
      return `owner ${user.email} (${user.id}) is ready`;
    }
    case "create-user": {
      const user = await createUser(prisma, credentials(options), "member");
      return `user ${user.email} (${user.id}) created`;
    }
    case "create-api-key": {
      const owner = await findOwner(prisma, options.owner);
      const { key, record } = await createApiKey(prisma, owner.id, options.name ?? "admin CLI");
      return `API key "${record.name}" for ${owner.email} (shown once, store it now):\n${key}`;
    }
    case "revoke-api-key": {
      if (!options.name) throw new AdminCommandError("--name is required");
      const owner = await findOwner(prisma, options.owner);
      const keys = await prisma.apiKey.findMany({ where: { ownerId: owner.id, name: options.name, revokedAt: null } });
      if (keys.length === 0) throw new AdminCommandError(`${owner.email} has no active API key named "${options.name}"`);
      for (const key of keys) await revokeApiKey(prisma, CLI_ACTOR, owner.id, key.id);
      const list = keys.map((key) => `…${key.last4}`).join(", ");
      return `revoked ${keys.length} API key${keys.length === 1 ? "" : "s"} named "${options.name}" of ${owner.email} (${list})`;
    }
    case "rotate-signing-keys": {
      await ensureSigningKeys(prisma);
      const kids = await rotateSigningKeys(prisma, CLI_ACTOR);
      return `new signing keys: ${kids.join(", ")}; the previous ones stay published for 24 hours`;
    }
    case "create-role": {
      if (!options.name) throw new AdminCommandError("--name is required");
      const permissions = (options.permissions ?? "").split(",").map((p) => p.trim()).filter(Boolean);
      const role = await createRole(prisma, CLI_ACTOR, { name: options.name, permissions });
      return `role ${role.name} created (permissions: ${role.permissions.join(", ") || "none"})`;
    }
    case "assign-role": {
      const { user, role } = await userAndRole(prisma, options);
      await assignRole(prisma, CLI_ACTOR, user.id, role);
      return `${user.email} holds the role ${role}${user.roles.includes(role) ? " (already did)" : ""}`;
    }
    case "unassign-role": {
      const { user, role } = await userAndRole(prisma, options);
      if (!(await unassignRole(prisma, CLI_ACTOR, user.id, role))) throw new AdminCommandError(`${user.email} does not hold the role ${role}`);
      return `${user.email} no longer holds the role ${role}`;
    }
    case "unlock-sign-in": {
      if (!options.email) throw new AdminCommandError("--email is required");
      const lifted = await unlockSignIn(prisma, CLI_ACTOR, options.email);
      return lifted ? `sign-in for ${options.email} is unlocked` : `sign-in for ${options.email} was not locked`;
    }
    default:
      throw new AdminCommandError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

function credentials({ email, password, name }: AdminOptions) {
  if (!email) throw new AdminCommandError("--email is required");
  if (!password) throw new AdminCommandError("--password or --password-stdin is required");
  return { email, password, name };
}

async function userAndRole(prisma: PrismaClient, { email, role }: AdminOptions) {
  if (!email) throw new AdminCommandError("--email is required");
  if (!role) throw new AdminCommandError("--role is required");
  const user = await findUserByEmail(prisma, email);
  if (!user) throw new AdminCommandError(`no user with email ${email}`);
  return { user, role };
}

async function findOwner(prisma: PrismaClient, email: string | undefined) {
  if (email) {
    const owner = await prisma.user.findFirst({ where: { email: email.trim().toLowerCase(), role: "owner" } });
    if (!owner) throw new AdminCommandError(`no owner with email ${email}`);
    return owner;
  }
  const owners = await prisma.user.findMany({ where: { role: "owner" }, take: 2 });
  if (owners.length !== 1) {
    throw new AdminCommandError(owners.length ? "several owners exist: pass --owner <email>" : "no owner exists yet: run create-owner first");
  }
  return owners[0]!;
}
