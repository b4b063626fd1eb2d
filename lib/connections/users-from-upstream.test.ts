import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createUser } from "../auth/users";
import { createRole, setDefaultRole } from "../rbac/roles";
import { domainAllowed, userFromUpstream, type UpstreamProfile } from "./users-from-upstream";

const actor = { type: "system" as const, id: null, label: "test" };

describe("allowed email domains", () => {
  it("match the email's domain exactly, case-insensitively; a subdomain or a suffix is another domain", () => {
    expect(domainAllowed("a@acme.example", ["acme.example"])).toBe(true);
    expect(domainAllowed("a@ACME.example", ["acme.example"])).toBe(true);
    expect(domainAllowed("a@eu.acme.example", ["acme.example"])).toBe(false);
    expect(domainAllowed("a@notacme.example", ["acme.example"])).toBe(false);
    expect(domainAllowed("acme.example@evil.example", ["acme.example"])).toBe(false);
  });
});

describe.each(testDatabases)("users from an upstream identity on $name", ({ target }) => {
  let db: TestDatabase;
  let connectionId: string;
  const rules = (extra: { linkVerifiedEmail?: boolean; allowedEmailDomains?: string[] } = {}) => ({
    id: connectionId, linkVerifiedEmail: false, allowedEmailDomains: [] as string[], ...extra,
  });
  const profile = (extra: Partial<UpstreamProfile> = {}): UpstreamProfile => ({
    subject: `sub-${Math.random()}`, email: `u-${Math.random().toString(36).slice(2)}@acme.example`, emailVerified: true, name: "U", ...extra,
  });
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    connectionId = (await db.prisma.connection.create({
      data: { slug: "idp", kind: "oidc", name: "IdP", level: "project", issuer: "https://idp.example", clientId: "c", clientSecretSealed: "x", scopes: ["openid"], allowedEmailDomains: [] },
    })).id;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("creates a new user just in time, with no password and the default role, and remembers the identity", async () => {
    await createRole(db.prisma, actor, { name: "reader", permissions: ["read:things"] });
    await setDefaultRole(db.prisma, actor, "reader");
    const who = profile({ name: "  Ada  " });
    const now = new Date();
    const outcome = await userFromUpstream(db.prisma, rules(), who, now);
    expect(outcome).toMatchObject({ ok: true, created: true, linked: false, user: { email: who.email, name: "Ada", passwordHash: null, role: "member" } });
    const userId = outcome.ok ? outcome.user.id : "";
    const roles = await db.prisma.roleAssignment.findMany({ where: { userId }, include: { role: true } });
    expect(roles.map((r) => r.role.name)).toEqual(["reader"]);
    expect(await db.prisma.userIdentity.findMany({ where: { userId } })).toMatchObject([{ connectionId, subject: who.subject, email: who.email }]);
  });

  it("finds the user by the identity afterwards, whatever email the upstream now gives, and records it", async () => {
    const who = profile();
    const first = await userFromUpstream(db.prisma, rules(), who, new Date());
    const later = new Date(Date.now() + 60_000);
    const again = await userFromUpstream(db.prisma, rules(), { ...who, email: "changed@acme.example", emailVerified: false }, later);
    expect(again).toMatchObject({ ok: true, created: false, user: { id: first.ok && first.user.id } });
    expect(await db.prisma.userIdentity.findFirst({ where: { subject: who.subject } })).toMatchObject({ email: "changed@acme.example", lastSignInAt: later });
  });

  it("links a verified email to the existing account only when the connection allows it", async () => {
    const existing = await createUser(db.prisma, { email: "link-me@acme.example", password: "correct horse battery" });
    const who = profile({ email: "Link-Me@acme.example" });
    expect(await userFromUpstream(db.prisma, rules(), who, new Date())).toEqual({ ok: false, reason: "email_exists" });
    expect(await db.prisma.userIdentity.count({ where: { userId: existing.id } })).toBe(0);
    const linked = await userFromUpstream(db.prisma, rules({ linkVerifiedEmail: true }), who, new Date());
    expect(linked).toMatchObject({ ok: true, linked: true, created: false, user: { id: existing.id } });
    expect(await db.prisma.userIdentity.count({ where: { userId: existing.id } })).toBe(1);
  });

  it("never links an unverified email, even where linking is allowed", async () => {
    const existing = await createUser(db.prisma, { email: "unverified@acme.example", password: "correct horse battery" });
    const outcome = await userFromUpstream(db.prisma, rules({ linkVerifiedEmail: true }), profile({ email: "unverified@acme.example", emailVerified: false }), new Date());
    expect(outcome).toEqual({ ok: false, reason: "email_exists" });
    expect(await db.prisma.userIdentity.count({ where: { userId: existing.id } })).toBe(0);
    expect(await db.prisma.user.count({ where: { email: "unverified@acme.example" } })).toBe(1);
  });

  it("refuses an upstream user without a usable email", async () => {
    expect(await userFromUpstream(db.prisma, rules(), profile({ email: null }), new Date())).toEqual({ ok: false, reason: "no_email" });
    expect(await userFromUpstream(db.prisma, rules(), profile({ email: "not an email" }), new Date())).toEqual({ ok: false, reason: "no_email" });
  });

  it("with allowed domains, only a verified email in one of them signs in, even for a known identity", async () => {
    const only = rules({ allowedEmailDomains: ["acme.example"] });
    expect(await userFromUpstream(db.prisma, only, profile({ email: "x@other.example" }), new Date())).toEqual({ ok: false, reason: "domain_not_allowed" });
    expect(await userFromUpstream(db.prisma, only, profile({ emailVerified: false }), new Date())).toEqual({ ok: false, reason: "domain_not_allowed" });
    const who = profile();
    expect(await userFromUpstream(db.prisma, only, who, new Date())).toMatchObject({ ok: true, created: true });
    expect(await userFromUpstream(db.prisma, only, { ...who, email: "moved@other.example" }, new Date())).toEqual({ ok: false, reason: "domain_not_allowed" });
  });

  it("concurrent first sign-ins of one upstream user make one user and one identity", async () => {
    const who = profile();
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => userFromUpstream(db.prisma, rules(), who, new Date())));
    const ids = new Set(outcomes.map((o) => (o.ok ? o.user.id : o.reason)));
    expect(ids.size).toBe(1);
    expect(outcomes.filter((o) => o.ok && o.created)).toHaveLength(1);
    expect(await db.prisma.user.count({ where: { email: who.email! } })).toBe(1);
    expect(await db.prisma.userIdentity.count({ where: { subject: who.subject } })).toBe(1);
  });
});
