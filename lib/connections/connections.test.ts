import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { listAudit } from "../audit";
import { createApp } from "../clients/apps";
import { ALL_CLIENT_TYPES, policyFor } from "../clients/policy";
import { updateProjectSettings } from "../settings";
import {
  connectionOffered,
  createConnection,
  deleteConnection,
  getConnection,
  listConnections,
  signInMethodsFor,
  updateConnection,
  upstreamConnection,
} from "./connections";

const actor = { type: "system" as const, id: null, label: "test" };
const ISSUER = "https://id.example.com";
const okta = (slug: string, extra: Record<string, unknown> = {}) => ({
  slug,
  kind: "oidc",
  name: "Okta",
  issuer: "https://example.okta.com",
  client_id: "0oa-upstream-client",
  client_secret: "upstream secret value",
  ...extra,
});

describe("the connection visibility rule (policy table)", () => {
  // Auth0's rule: project-level connections for every app; app-level ones only for first-party apps the owner picked.
  const expected = {
    first_party: { project: true, appPicked: true, appNotPicked: false },
    first_party_public: { project: true, appPicked: true, appNotPicked: false },
    third_party: { project: true, appPicked: false, appNotPicked: false },
    third_party_public: { project: true, appPicked: false, appNotPicked: false },
    machine: { project: false, appPicked: false, appNotPicked: false },
  } as const;
  it.each(ALL_CLIENT_TYPES)("%s", (type) => {
    const rule = policyFor(type).signInConnections;
    expect({
      project: connectionOffered(rule, "project", false),
      appPicked: connectionOffered(rule, "app", true),
      appNotPicked: connectionOffered(rule, "app", false),
    }).toEqual(expected[type]);
  });
});

describe.each(testDatabases)("sign-in connections on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("creates a generic OpenID Connect connection: the secret is sealed, never shown, and opens for the sign-in flow", async () => {
    const created = await createConnection(db.prisma, actor, ISSUER, okta("okta"));
    expect(created).toMatchObject({
      slug: "okta", kind: "oidc", level: "project", enabled: true, issuer: "https://example.okta.com", client_id: "0oa-upstream-client",
      scopes: ["openid", "email", "profile"], allowed_email_domains: [], link_verified_email: false, apps: [],
      redirect_uri: "https://id.example.com/signin/connections/okta/callback",
    });
    expect(JSON.stringify(created)).not.toContain("upstream secret value");
    const row = await db.prisma.connection.findUniqueOrThrow({ where: { slug: "okta" } });
    expect(row.clientSecretSealed).not.toContain("upstream secret value");
    expect((await upstreamConnection(db.prisma, "okta"))?.clientSecret).toBe("upstream secret value");
    expect(await getConnection(db.prisma, ISSUER, "okta")).toEqual(created);
    expect((await listConnections(db.prisma, ISSUER)).map((c) => c.slug)).toContain("okta");
    const audit = (await listAudit(db.prisma)).events.find((e) => e.action === "connection.created" && e.targetId === created.id);
    expect(JSON.stringify(audit?.details)).not.toContain("upstream secret value");
  });

  it("refuses bad input field by field, and a taken slug", async () => {
    await expect(createConnection(db.prisma, actor, ISSUER, okta("Bad Slug"))).rejects.toMatchObject({ code: "invalid_input", fields: { slug: expect.any(String) } });
    await expect(createConnection(db.prisma, actor, ISSUER, okta("email"))).rejects.toMatchObject({ fields: { slug: expect.stringContaining("built-in") } });
    await expect(createConnection(db.prisma, actor, ISSUER, okta("plain", { issuer: "http://idp.example.com" }))).rejects.toMatchObject({ fields: { issuer: expect.any(String) } });
    await expect(createConnection(db.prisma, actor, ISSUER, okta("noissuer", { issuer: undefined }))).rejects.toMatchObject({ fields: { issuer: expect.stringContaining("required") } });
    await expect(createConnection(db.prisma, actor, ISSUER, okta("noopenid", { scopes: ["email"] }))).rejects.toMatchObject({ fields: { scopes: expect.stringContaining("openid") } });
    await expect(createConnection(db.prisma, actor, ISSUER, okta("domains", { allowed_email_domains: ["not a domain"] }))).rejects.toMatchObject({ fields: { "allowed_email_domains[0]": expect.any(String) } });
    await expect(createConnection(db.prisma, actor, ISSUER, okta("extra", { color: "red" }))).rejects.toMatchObject({ fields: { color: expect.any(String) } });
    await createConnection(db.prisma, actor, ISSUER, okta("taken"));
    await expect(createConnection(db.prisma, actor, ISSUER, okta("taken"))).rejects.toMatchObject({ code: "conflict" });
    // A loopback http issuer is allowed (a development IdP on this machine).
    await expect(createConnection(db.prisma, actor, ISSUER, okta("loopback", { issuer: "http://127.0.0.1:4000" }))).resolves.toMatchObject({ issuer: "http://127.0.0.1:4000" });
  });

  it("presets fix their issuer and default their scopes", async () => {
    const google = await createConnection(db.prisma, actor, ISSUER, { slug: "google", kind: "google", name: "Google", client_id: "g", client_secret: "s" });
    expect(google).toMatchObject({ issuer: "https://accounts.google.com", scopes: ["openid", "email", "profile"] });
    const github = await createConnection(db.prisma, actor, ISSUER, { slug: "github", kind: "github", name: "GitHub", client_id: "g", client_secret: "s" });
    expect(github).toMatchObject({ issuer: null, scopes: ["read:user", "user:email"] });
    await expect(
      createConnection(db.prisma, actor, ISSUER, { slug: "google2", kind: "google", name: "G", client_id: "g", client_secret: "s", issuer: "https://evil.example" }),
    ).rejects.toMatchObject({ fields: { issuer: expect.stringContaining("fixed") } });
  });

  it("offers project-level connections to every app, app-level ones only to the first-party apps picked, never to third-party apps", async () => {
    const first = (await createApp(db.prisma, actor, { client_type: "first_party", name: "F", redirect_uris: ["https://f.example/cb"] }, "api")).app;
    const other = (await createApp(db.prisma, actor, { client_type: "first_party", name: "O", redirect_uris: ["https://o.example/cb"] }, "api")).app;
    const third = (await createApp(db.prisma, actor, { client_type: "third_party", name: "T", redirect_uris: ["https://t.example/cb"] }, "api")).app;
    await expect(createConnection(db.prisma, actor, ISSUER, okta("app-third", { level: "app", apps: [third.client_id] }))).rejects.toMatchObject({
      fields: { "apps[0]": expect.stringContaining("first-party") },
    });
    await expect(createConnection(db.prisma, actor, ISSUER, okta("app-unknown", { level: "app", apps: ["ca_nope"] }))).rejects.toMatchObject({ fields: { "apps[0]": expect.any(String) } });
    await expect(createConnection(db.prisma, actor, ISSUER, okta("proj-apps", { apps: [first.client_id] }))).rejects.toMatchObject({ fields: { apps: expect.any(String) } });
    const appLevel = await createConnection(db.prisma, actor, ISSUER, okta("workforce", { level: "app", apps: [first.client_id] }));
    expect(appLevel.apps).toEqual([first.client_id]);

    const idOf = async (clientId: string) => (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId }, select: { id: true, clientType: true } }));
    const offered = async (clientId: string | null) => (await signInMethodsFor(db.prisma, clientId ? await idOf(clientId) : null)).connections.map((c) => c.slug);
    expect(await offered(first.client_id)).toContain("workforce");
    expect(await offered(other.client_id)).not.toContain("workforce");
    expect(await offered(third.client_id)).not.toContain("workforce");
    expect(await offered(null)).not.toContain("workforce");
    expect(await offered(third.client_id)).toContain("okta");

    // Picking the other app moves it; disabling hides it everywhere.
    await updateConnection(db.prisma, actor, ISSUER, "workforce", { apps: [other.client_id] });
    expect(await offered(first.client_id)).not.toContain("workforce");
    expect(await offered(other.client_id)).toContain("workforce");
    await updateConnection(db.prisma, actor, ISSUER, "workforce", { enabled: false });
    expect(await offered(other.client_id)).not.toContain("workforce");
    expect(await upstreamConnection(db.prisma, "workforce")).toBeNull();
  });

  it("updates a secret without showing it, and keeps a field left out", async () => {
    await createConnection(db.prisma, actor, ISSUER, okta("rotating"));
    const updated = await updateConnection(db.prisma, actor, ISSUER, "rotating", { client_secret: "the new secret", name: "Okta SSO" });
    expect(updated).toMatchObject({ name: "Okta SSO", client_id: "0oa-upstream-client", issuer: "https://example.okta.com" });
    expect((await upstreamConnection(db.prisma, "rotating"))?.clientSecret).toBe("the new secret");
    const audit = (await listAudit(db.prisma)).events.find((e) => e.action === "connection.updated" && e.targetId === updated.id);
    expect(JSON.stringify(audit?.details)).not.toContain("the new secret");
    await expect(updateConnection(db.prisma, actor, ISSUER, "nope", { name: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(updateConnection(db.prisma, actor, ISSUER, "rotating", { slug: "other" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("keeps some way to sign in: password sign-in turns off only with an enabled project-level connection, which then cannot go", async () => {
    const fresh = await openTestDatabase(await target());
    try {
      await expect(updateProjectSettings(fresh.prisma, actor, { password_signin_enabled: false })).rejects.toMatchObject({ code: "conflict" });
      await createConnection(fresh.prisma, actor, ISSUER, okta("only"));
      await createConnection(fresh.prisma, actor, ISSUER, okta("app-only", { level: "app" }));
      expect((await updateProjectSettings(fresh.prisma, actor, { password_signin_enabled: false })).password_signin_enabled).toBe(false);
      expect((await signInMethodsFor(fresh.prisma, null)).password).toBe(false);
      await expect(updateConnection(fresh.prisma, actor, ISSUER, "only", { enabled: false })).rejects.toMatchObject({ code: "conflict" });
      await expect(updateConnection(fresh.prisma, actor, ISSUER, "only", { level: "app" })).rejects.toMatchObject({ code: "conflict" });
      await expect(deleteConnection(fresh.prisma, actor, "only")).rejects.toMatchObject({ code: "conflict" });
      expect(await fresh.prisma.connection.count({ where: { slug: "only", enabled: true } })).toBe(1);
      // The app-level one was never what kept sign-in possible.
      await deleteConnection(fresh.prisma, actor, "app-only");
      await updateProjectSettings(fresh.prisma, actor, { password_signin_enabled: true });
      await deleteConnection(fresh.prisma, actor, "only");
      expect(await fresh.prisma.connection.count()).toBe(0);
      await expect(deleteConnection(fresh.prisma, actor, "only")).rejects.toMatchObject({ code: "not_found" });
    } finally {
      await fresh.dispose();
    }
  });
});
