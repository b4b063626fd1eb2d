import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide, deviceClient } from "@/tests/device-client";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { federatedSignIn } from "../auth/sign-in-method";
import { SIGNIN_LIMITS, signInWithPassword } from "../auth/signin-throttle";
import { createUser } from "../auth/users";
import { createApp } from "../clients/apps";
import { createConnection, deleteConnection } from "../connections/connections";
import { authorize, consentView, decideConsent, type AuthSession } from "../oauth/authorize/flow";
import { updateProjectSettings } from "../settings";
import { NOT_AN_EMAIL, recordPasswordSignIn, recordSignIn } from "./sign-in-events";

const PASSWORD = "correct horse battery";
const system: Actor = { type: "system", id: null, label: "test" };

describe.each(testDatabases)("sign-ins and consents in the audit log on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /** A password sign-in as the sign-in form makes it: the check, then its record. */
  async function signIn(email: string, password: string, returnTo?: string) {
    const result = await signInWithPassword(db.prisma, { email, password, source: null });
    await recordPasswordSignIn(db.prisma, email, result, returnTo);
    return result;
  }
  const eventsOf = (action: string, since: Date) => db.prisma.auditEvent.findMany({ where: { action, at: { gte: since } }, orderBy: { seq: "asc" }, omit: { seq: true } });
  const everything = async () => JSON.stringify(await db.prisma.auditEvent.findMany({ omit: { seq: true } }));

  async function pendingRequest(clientId: string): Promise<{ id: string; secret: string }> {
    const start = await authorize(db.oauth, new URLSearchParams({ client_id: clientId, response_type: "code", scope: "openid email", state: "s" }), null);
    if (start.type !== "redirect" || !start.setBinding) throw new Error("expected the sign-in redirect");
    return start.setBinding;
  }

  it("records one user.signed_in per password sign-in, with the app of the authorization request it resumes", async () => {
    const user = await createUser(db.prisma, { email: "signs-in@example.com", password: PASSWORD });
    const { app } = await createApp(db.prisma, system, { client_type: "third_party", name: "Signing app", redirect_uris: ["https://rp.example/cb"] }, "api");
    const pending = await pendingRequest(app.client_id);
    const since = new Date();
    expect((await signIn("Signs-In@example.com", PASSWORD, `/oauth2/authorize/resume?request=${pending.id}`)).ok).toBe(true);
    expect(await eventsOf("user.signed_in", since)).toEqual([
      expect.objectContaining({ actorType: "user", actorId: user.id, actorLabel: "signs-in@example.com", targetId: user.id, details: { method: "password", client_id: app.client_id } }),
    ]);
    // Elsewhere (the dashboard, the account page) no app is named.
    const later = new Date();
    await signIn("signs-in@example.com", PASSWORD, "/account");
    expect((await eventsOf("user.signed_in", later)).map((e) => e.details)).toEqual([{ method: "password" }]);
    expect(await eventsOf("user.sign_in_failed", since)).toEqual([]);
  });

  it("records a sign-in through a connection with the connection's name", async () => {
    const user = await createUser(db.prisma, { email: "federated@example.com", password: PASSWORD });
    const since = new Date();
    await recordSignIn(db.prisma, user, federatedSignIn("corp-idp"), "/signed-in");
    expect((await eventsOf("user.signed_in", since)).map((e) => [e.targetId, e.details])).toEqual([[user.id, { method: "corp-idp" }]]);
  });

  it("records each failed sign-in once, with the email typed and the reason, never the password", async () => {
    const user = await createUser(db.prisma, { email: "fails@example.com", password: PASSWORD });
    const connectionOnly = await db.prisma.user.create({ data: { email: "no-password@example.com" } });
    const since = new Date();
    expect((await signIn("fails@example.com", "Wrong-Secret-1")).ok).toBe(false);
    await signIn("nobody-here@example.com", "Wrong-Secret-2");
    await signIn("no-password@example.com", "Wrong-Secret-3");
    // A password typed in the email box is not recorded as typed.
    await signIn("Wrong-Secret-4", "Wrong-Secret-5");
    const failed = await eventsOf("user.sign_in_failed", since);
    expect(failed.map((e) => [e.actorType, e.actorId, e.actorLabel, e.targetId, e.details])).toEqual([
      ["user", null, "fails@example.com", user.id, { email: "fails@example.com", reason: "wrong password" }],
      ["user", null, "nobody-here@example.com", null, { email: "nobody-here@example.com", reason: "unknown account" }],
      ["user", null, "no-password@example.com", connectionOnly.id, { email: "no-password@example.com", reason: "no password set" }],
      ["user", null, NOT_AN_EMAIL, null, { email: NOT_AN_EMAIL, reason: "unknown account" }],
    ]);
    const stored = await everything();
    for (const secret of ["Wrong-Secret-1", "Wrong-Secret-2", "Wrong-Secret-3", "Wrong-Secret-4", "Wrong-Secret-5", PASSWORD]) expect(stored).not.toContain(secret);
    expect(await eventsOf("user.signed_in", since)).toEqual([]);
  });

  it("a locked account: one row per checked attempt, then a single 'locked' row however many more are refused", async () => {
    await createUser(db.prisma, { email: "hammered@example.com", password: PASSWORD });
    const since = new Date();
    for (let i = 0; i < SIGNIN_LIMITS.account.attempts + 5; i++) await signIn("hammered@example.com", "guess");
    const reasons = (await eventsOf("user.sign_in_failed", since)).map((e) => (e.details as { reason: string }).reason);
    expect(reasons).toEqual([...Array<string>(SIGNIN_LIMITS.account.attempts).fill("wrong password"), "locked"]);
  });

  it("failures for unknown accounts stop at their budget, also under concurrent attempts", async () => {
    const since = new Date();
    const budget = { key: `audit-budget-test-${Date.now()}`, max: 5, windowSeconds: 900 };
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => recordPasswordSignIn(db.prisma, `stranger-${i}@example.com`, { ok: false, reason: "invalid" }, undefined, budget)),
    );
    expect((await eventsOf("user.sign_in_failed", since)).filter((e) => e.actorLabel.startsWith("stranger-"))).toHaveLength(5);
  });

  it("records nothing while password sign-in is off (nothing was checked)", async () => {
    await createUser(db.prisma, { email: "off@example.com", password: PASSWORD });
    // Password sign-in can be turned off only while another way in exists.
    await createConnection(db.prisma, system, "https://id.example", {
      slug: "audit-off-idp", kind: "oidc", name: "IdP", issuer: "https://idp.example", client_id: "c", client_secret: "s",
    });
    await updateProjectSettings(db.prisma, system, { password_signin_enabled: false });
    const since = new Date();
    try {
      await signIn("off@example.com", PASSWORD);
      await signIn("off@example.com", "wrong");
    } finally {
      await updateProjectSettings(db.prisma, system, { password_signin_enabled: true });
      await deleteConnection(db.prisma, system, "audit-off-idp");
    }
    expect(await db.prisma.auditEvent.count({ where: { action: { in: ["user.signed_in", "user.sign_in_failed"] }, at: { gte: since } } })).toBe(0);
  });

  it("records one consent.granted when the user allows on the consent page, none on deny or when consent is remembered", async () => {
    const user = await createUser(db.prisma, { email: "consents@example.com", password: PASSWORD });
    const session: AuthSession = { userId: user.id, authTime: new Date() };
    const { app } = await createApp(db.prisma, system, { client_type: "third_party", name: "Consent app", redirect_uris: ["https://rp.example/cb"] }, "api");
    const decideOn = async (decision: "allow" | "deny") => {
      const pending = await pendingRequest(app.client_id);
      const binding = { requestId: pending.id, bindingSecret: pending.secret };
      const view = await consentView(db.oauth, binding, session);
      if (view.type !== "view") throw new Error("expected the consent page");
      return decideConsent(db.oauth, { ...binding, csrfToken: view.view.csrfToken, decision }, session);
    };
    const since = new Date();
    expect((await decideOn("deny")).type).toBe("redirect");
    expect(await eventsOf("consent.granted", since)).toEqual([]);
    expect((await decideOn("allow")).type).toBe("redirect");
    expect(await eventsOf("consent.granted", since)).toEqual([
      expect.objectContaining({
        actorType: "user",
        actorId: user.id,
        actorLabel: "consents@example.com",
        targetId: app.client_id,
        details: { client_id: app.client_id, scopes: "openid email", via: "consent_page" },
      }),
    ]);
    // Remembered: no page, no new row.
    const remembered = await authorize(db.oauth, new URLSearchParams({ client_id: app.client_id, response_type: "code", scope: "openid", state: "s" }), session);
    expect(remembered.type === "redirect" && new URL(remembered.location).searchParams.has("code")).toBe(true);
    expect(await eventsOf("consent.granted", since)).toHaveLength(1);
  });

  it("records one consent.granted when a user approves a device, none when denied", async () => {
    const user = await createUser(db.prisma, { email: "device-owner@example.com", password: PASSWORD });
    const session: AuthSession = { userId: user.id, authTime: new Date(), signIn: { amr: ["pwd"], idp: "email" } };
    const app = await deviceClient(db);
    const since = new Date();
    const denied = await app.start({ scope: "openid" });
    expect(await decide(db, session, denied.user_code, "deny")).toBe("/device?result=denied");
    const approved = await app.start({ scope: "openid profile" });
    expect(await decide(db, session, approved.user_code, "allow")).toBe("/device?result=approved");
    expect((await eventsOf("consent.granted", since)).map((e) => [e.actorId, e.targetId, e.details])).toEqual([
      [user.id, app.clientId, { client_id: app.clientId, scopes: "openid profile", via: "device" }],
    ]);
  });
});
