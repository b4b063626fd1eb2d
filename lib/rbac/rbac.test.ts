import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { createUser } from "../auth/users";
import { createApp } from "../clients/apps";
import { authorize, consentView, decideConsent, type AuthorizeOutcome } from "../oauth/authorize/flow";
import { introspect } from "../oauth/introspect";
import { ensureSigningKeys } from "../keys/signing-keys";
import { handleTokenRequest } from "../oauth/token-endpoint";
import { DomainError } from "../domain-error";
import { grantableFor } from "./grantable";
import { assignRole, createRole, deleteRole, getDefaultRole, listRoles, rolesOfUser, setDefaultRole, unassignRole, updateRole } from "./roles";
import { createCustomScope, deleteCustomScope, listCustomScopes, updateCustomScope } from "./custom-scopes";

const actor: Actor = { type: "system", id: null, label: "test" };
/** The code of the DomainError a call refuses with (anything else: its class name). */
const thrown = async (p: Promise<unknown>) => p.then(() => null, (e: Error) => (e instanceof DomainError ? e.code : e.constructor.name));

describe.each(testDatabases)("scopes, roles and permissions on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    await createCustomScope(db.prisma, actor, { name: "read:invoices", description: "See your invoices", permissions: ["invoices.read"] });
    await createCustomScope(db.prisma, actor, { name: "pay:invoices", description: "Pay your invoices", permissions: ["invoices.read", "invoices.pay"] });
    await createRole(db.prisma, actor, { name: "accountant", permissions: ["invoices.read"] });
  });
  afterAll(async () => {
    await db?.dispose();
  });
  const user = (email: string) => createUser(db.prisma, { email, password: "correct horse battery" }, "member");

  it("validates and names custom scopes and roles", async () => {
    expect(await thrown(createCustomScope(db.prisma, actor, { name: "openid", description: "x" }))).toBe("invalid_input");
    expect(await thrown(createCustomScope(db.prisma, actor, { name: "has space", description: "x" }))).toBe("invalid_input");
    expect(await thrown(createCustomScope(db.prisma, actor, { name: "read:invoices", description: "again" }))).toBe("conflict");
    expect(await thrown(createRole(db.prisma, actor, { name: "bad", permissions: ["no spaces allowed"] }))).toBe("invalid_input");
    expect(await thrown(updateCustomScope(db.prisma, actor, "nope", { description: "x" }))).toBe("not_found");
    const updated = await updateCustomScope(db.prisma, actor, "read:invoices", { description: "See your invoices and receipts" });
    expect(updated.description).toBe("See your invoices and receipts");
    expect(updated.permissions).toEqual(["invoices.read"]); // a patch leaves out what it does not name
    expect((await listCustomScopes(db.prisma)).map((s) => s.name)).toEqual(["pay:invoices", "read:invoices"]);
    try {
      await createCustomScope(db.prisma, actor, { name: "x", description: "" });
    } catch (e) {
      expect(e).toMatchObject({ name: "DomainError", code: "invalid_input" });
      expect((e as DomainError).fields).toHaveProperty("description");
    }
  });

  it("gives new users the default role, which is configurable and cannot be deleted while default", async () => {
    expect(await getDefaultRole(db.prisma)).toBe("member");
    const a = await user("rbac-default-a@example.com");
    expect(await rolesOfUser(db.prisma, a.id)).toEqual(["member"]);
    await setDefaultRole(db.prisma, actor, "accountant");
    const b = await user("rbac-default-b@example.com");
    expect(await rolesOfUser(db.prisma, b.id)).toEqual(["accountant"]);
    expect(await thrown(deleteRole(db.prisma, actor, "accountant"))).toBe("conflict");
    expect(await thrown(setDefaultRole(db.prisma, actor, "ghost"))).toBe("invalid_input");
    await setDefaultRole(db.prisma, actor, "member");
    const roles = await listRoles(db.prisma);
    expect(roles.find((r) => r.name === "member")).toMatchObject({ is_default: true });
    expect(roles.find((r) => r.name === "accountant")).toMatchObject({ is_default: false, user_count: 1 });
    expect(await thrown(assignRole(db.prisma, actor, a.id, "ghost"))).toBe("not_found");
    expect(await thrown(assignRole(db.prisma, actor, "not-a-uuid", "member"))).toBe("not_found");
  });

  it("a user can grant only the custom scopes whose permissions they hold", async () => {
    const u = await user("rbac-grant@example.com");
    expect((await grantableFor(db.prisma, u.id, ["openid", "read:invoices"])).grantable).toEqual(["openid"]);
    await assignRole(db.prisma, actor, u.id, "accountant");
    await assignRole(db.prisma, actor, u.id, "accountant"); // idempotent
    const split = await grantableFor(db.prisma, u.id, ["openid", "read:invoices", "pay:invoices", "undefined:scope"]);
    expect(split.grantable).toEqual(["openid", "read:invoices"]);
    expect(split.ungrantable).toEqual([
      { scope: "pay:invoices", missing: ["invoices.pay"] },
      { scope: "undefined:scope", missing: [] },
    ]);
  });

  it("consent lists what cannot be granted; the token, introspection and later refreshes carry only what can", async () => {
    const u = await user("rbac-flow@example.com");
    await assignRole(db.prisma, actor, u.id, "accountant");
    const session = { userId: u.id, authTime: new Date() };
    const { app, clientSecret } = await createApp(
      db.prisma,
      actor,
      {
        client_type: "third_party",
        name: "Books",
        redirect_uris: ["https://books.example/cb"],
        allowed_scopes: ["openid", "offline_access", "read:invoices", "pay:invoices"],
      },
      "api",
    );
    const start: AuthorizeOutcome = await authorize(
      db.oauth,
      new URLSearchParams({ client_id: app.client_id, response_type: "code", scope: "openid offline_access read:invoices pay:invoices" }),
      session,
    );
    if (start.type !== "redirect" || !start.setBinding) throw new Error("expected the consent page");
    const binding = { requestId: start.setBinding.id, bindingSecret: start.setBinding.secret };
    const view = await consentView(db.oauth, binding, session);
    if (view.type !== "view") throw new Error("expected the consent view");
    expect(view.view.scopes.map((s) => s.name)).toEqual(["openid", "offline_access", "read:invoices"]);
    expect(view.view.scopes.find((s) => s.name === "read:invoices")?.description).toBe("See your invoices and receipts");
    expect(view.view.ungrantable).toEqual([{ name: "pay:invoices", description: "Pay your invoices" }]);
    const done = await decideConsent(db.oauth, { ...binding, csrfToken: view.view.csrfToken, decision: "allow" }, session);
    if (done.type !== "redirect") throw new Error("expected the redirect");
    const code = new URL(done.location).searchParams.get("code")!;

    const auth = `Basic ${Buffer.from(`${app.client_id}:${clientSecret}`).toString("base64")}`;
    const tokens = await handleTokenRequest(db.oauth, {
      authorization: auth,
      form: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: "https://books.example/cb" }),
    });
    expect(tokens.scope).toBe("openid offline_access read:invoices");
    const seen = await introspect(db.oauth, { authorization: auth, form: new URLSearchParams({ token: tokens.access_token }) });
    expect(seen).toMatchObject({ active: true, scope: "openid offline_access read:invoices" });

    // Losing the permission narrows the next refresh; regaining it restores it.
    expect(await unassignRole(db.prisma, actor, u.id, "accountant")).toBe(true);
    const refresh = () =>
      handleTokenRequest(db.oauth, { authorization: auth, form: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token! }) });
    expect((await refresh()).scope).toBe("openid offline_access");
    await assignRole(db.prisma, actor, u.id, "accountant");
    expect((await refresh()).scope).toBe("openid offline_access read:invoices");
    // A role that loses the permission has the same effect.
    await updateRole(db.prisma, actor, "accountant", { permissions: [] });
    expect((await refresh()).scope).toBe("openid offline_access");
    await updateRole(db.prisma, actor, "accountant", { permissions: ["invoices.read"] });
    // A deleted scope cannot be granted any more.
    await deleteCustomScope(db.prisma, actor, "pay:invoices");
    expect((await grantableFor(db.prisma, u.id, ["pay:invoices"])).grantable).toEqual([]);
  });
});
