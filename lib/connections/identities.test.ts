import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { listAudit } from "../audit";
import { DomainError } from "../domain-error";
import { updateProjectSettings } from "../settings";
import { createConnection, updateConnection } from "./connections";
import { connectionNamesByUser, LAST_WAY_TO_SIGN_IN, listIdentities, unlinkIdentity } from "./identities";

const actor = { type: "system" as const, id: null, label: "test" };
const ISSUER = "https://id.example.com";
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof DomainError ? { code: e.code, message: e.message } : e),
  );

describe.each(testDatabases)("users' linked identities on $name", ({ target }) => {
  let db: TestDatabase;
  let okta: string;
  let google: string;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    const connection = (slug: string, name: string) =>
      createConnection(db.prisma, actor, ISSUER, { slug, kind: "oidc", name, issuer: `https://${slug}.example.com`, client_id: "c", client_secret: "s" });
    okta = (await connection("okta", "Okta")).id;
    google = (await connection("workspace", "Workspace")).id;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /** A user (with a password or not) and an identity at each of the given connections. */
  async function userWith(password: boolean, connectionIds: string[]) {
    const user = await db.prisma.user.create({ data: { email: `${randomUUID()}@example.com`, passwordHash: password ? "scrypt$unused" : null } });
    const identities = [];
    for (const connectionId of connectionIds) {
      identities.push(await db.prisma.userIdentity.create({ data: { userId: user.id, connectionId, subject: randomUUID(), email: user.email } }));
    }
    return { user, identities };
  }

  it("lists a user's identities with their connection, oldest first; the Users page gets names by user", async () => {
    const { user, identities } = await userWith(true, [okta, google]);
    const other = await userWith(false, [google]);
    const listed = await listIdentities(db.prisma, user.id);
    expect(listed).toEqual([
      { id: identities[0]!.id, connection: { slug: "okta", name: "Okta", enabled: true }, email: user.email, createdAt: expect.any(Date), lastSignInAt: expect.any(Date) },
      { id: identities[1]!.id, connection: { slug: "workspace", name: "Workspace", enabled: true }, email: user.email, createdAt: expect.any(Date), lastSignInAt: expect.any(Date) },
    ]);
    const names = await connectionNamesByUser(db.prisma, [user.id, other.user.id]);
    expect(Object.fromEntries(names)).toEqual({ [user.id]: ["Okta", "Workspace"], [other.user.id]: ["Workspace"] });
  });

  it("unlinks an identity while a password remains, and records it", async () => {
    const { user, identities } = await userWith(true, [okta]);
    await unlinkIdentity(db.prisma, actor, user.id, identities[0]!.id);
    expect(await listIdentities(db.prisma, user.id)).toEqual([]);
    const { events } = await listAudit(db.prisma, { limit: 5 });
    expect(events.find((e) => e.action === "user.identity_unlinked")).toMatchObject({ targetId: user.id, details: { identity_id: identities[0]!.id, connection: "okta" } });
  });

  it("refuses to unlink the last way to sign in: no password, or password sign-in turned off", async () => {
    const noPassword = await userWith(false, [okta]);
    expect(await refusal(unlinkIdentity(db.prisma, actor, noPassword.user.id, noPassword.identities[0]!.id))).toEqual({ code: "conflict", message: LAST_WAY_TO_SIGN_IN });

    const withPassword = await userWith(true, [okta]);
    await updateProjectSettings(db.prisma, actor, { password_signin_enabled: false });
    try {
      expect(await refusal(unlinkIdentity(db.prisma, actor, withPassword.user.id, withPassword.identities[0]!.id))).toMatchObject({ code: "conflict" });
    } finally {
      await updateProjectSettings(db.prisma, actor, { password_signin_enabled: true });
    }
    expect(await listIdentities(db.prisma, noPassword.user.id)).toHaveLength(1);
    expect(await listIdentities(db.prisma, withPassword.user.id)).toHaveLength(1);
  });

  it("counts an identity at a disabled connection as no way to sign in", async () => {
    const { user, identities } = await userWith(false, [okta, google]);
    await updateConnection(db.prisma, actor, ISSUER, "workspace", { enabled: false });
    try {
      expect(await refusal(unlinkIdentity(db.prisma, actor, user.id, identities[0]!.id))).toMatchObject({ code: "conflict" });
      // The disabled one may go: the enabled one remains.
      await unlinkIdentity(db.prisma, actor, user.id, identities[1]!.id);
    } finally {
      await updateConnection(db.prisma, actor, ISSUER, "workspace", { enabled: true });
    }
    expect((await listIdentities(db.prisma, user.id)).map((i) => i.id)).toEqual([identities[0]!.id]);
  });

  it("answers not found for another user's identity, an unknown one, or a malformed id", async () => {
    const mine = await userWith(true, [okta]);
    const theirs = await userWith(true, [okta]);
    for (const id of [theirs.identities[0]!.id, randomUUID(), "not-a-uuid", ""]) {
      expect(await refusal(unlinkIdentity(db.prisma, actor, mine.user.id, id))).toMatchObject({ code: "not_found" });
    }
    expect(await listIdentities(db.prisma, theirs.user.id)).toHaveLength(1);
  });

  it("lets exactly one of two concurrent unlinks of a user's last two ways succeed", async () => {
    for (let round = 0; round < 3; round++) {
      const { user, identities } = await userWith(false, [okta, google]);
      const results = await Promise.allSettled(identities.map((identity) => unlinkIdentity(db.prisma, actor, user.id, identity.id)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected");
      expect(rejected?.reason).toMatchObject({ code: "conflict", message: LAST_WAY_TO_SIGN_IN });
      expect(await listIdentities(db.prisma, user.id)).toHaveLength(1);
    }
  });
});
