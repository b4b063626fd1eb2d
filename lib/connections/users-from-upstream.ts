import { emailSchema } from "../auth/users";
import type { PrismaClient, User } from "../db/generated/client.ts";
import { isUniqueViolation } from "../db/unique-violation";
import { assignDefaultRole } from "../rbac/roles";
import type { UpstreamConnection } from "./connections";

/** Who the upstream says signed in. */
export interface UpstreamProfile {
  /** The upstream's stable identifier (OIDC `sub`, GitHub's numeric id). */
  subject: string;
  email: string | null;
  /** Whether the upstream vouches that the user controls `email`. */
  emailVerified: boolean;
  name: string | null;
}

export type UpstreamUserOutcome =
  | { ok: true; user: User; created: boolean; linked: boolean }
  | { ok: false; reason: "domain_not_allowed" | "no_email" | "email_exists" };

type LinkRules = Pick<UpstreamConnection, "id" | "allowedEmailDomains" | "linkVerifiedEmail">;

/** A few rounds are enough: each lost race means the winner's rows exist for the next lookup. */
const ATTEMPTS = 3;

/**
 * The user an upstream sign-in is: the one already holding this upstream
 * identity; else the account with the same email, linked only when the
 * upstream says the email is verified and the owner allows linking for
 * this connection (never silently otherwise: refused, "email_exists");
 * else a new user, just in time, with no password and the default role.
 * JIT creation does not follow the sign-up switch (decisions.md): the owner
 * controls it by enabling or disabling the connection.
 *
 * Races: the unique keys decide (identities on connection and subject,
 * users on email). A first sign-in that loses to a concurrent one of the
 * same upstream user looks again and finds the winner's user.
 */
export async function userFromUpstream(prisma: PrismaClient, connection: LinkRules, profile: UpstreamProfile, now: Date): Promise<UpstreamUserOutcome> {
  const parsedEmail = profile.email === null ? null : emailSchema.safeParse(profile.email);
  const email = parsedEmail?.success ? parsedEmail.data : null;
  if (connection.allowedEmailDomains.length && !(email && profile.emailVerified && domainAllowed(email, connection.allowedEmailDomains))) {
    return { ok: false, reason: "domain_not_allowed" };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await resolve(prisma, connection, { ...profile, email }, now);
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= ATTEMPTS) throw e;
    }
  }
}

async function resolve(prisma: PrismaClient, connection: LinkRules, profile: UpstreamProfile, now: Date): Promise<UpstreamUserOutcome> {
  const where = { connectionId_subject: { connectionId: connection.id, subject: profile.subject } };
  const known = await prisma.userIdentity.findUnique({ where, include: { user: true } });
  if (known) {
    await prisma.userIdentity.update({ where, data: { email: profile.email, lastSignInAt: now } });
    return { ok: true, user: known.user, created: false, linked: false };
  }
  if (!profile.email) return { ok: false, reason: "no_email" };
  const existing = await prisma.user.findUnique({ where: { email: profile.email } });
  if (existing) {
    if (!(profile.emailVerified && connection.linkVerifiedEmail)) return { ok: false, reason: "email_exists" };
    await prisma.userIdentity.create({
      data: { userId: existing.id, connectionId: connection.id, subject: profile.subject, email: profile.email, createdAt: now, lastSignInAt: now },
    });
    return { ok: true, user: existing, created: false, linked: true };
  }
  const user = await prisma.$transaction(async (tx) => {
    const created = await tx.user.create({ data: { email: profile.email!, name: profile.name?.trim().slice(0, 100) || null, passwordHash: null, role: "member" } });
    await assignDefaultRole(tx, created.id);
    await tx.userIdentity.create({
      data: { userId: created.id, connectionId: connection.id, subject: profile.subject, email: profile.email, createdAt: now, lastSignInAt: now },
    });
    return created;
  });
  return { ok: true, user, created: true, linked: false };
}

/** Whether the email's domain is one of the allowed ones (exactly: a subdomain is another domain). */
export function domainAllowed(email: string, domains: readonly string[]): boolean {
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return domains.includes(domain);
}
