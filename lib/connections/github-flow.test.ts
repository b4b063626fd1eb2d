import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { startFakeGitHub, type FakeGitHub, type GitHubAccount } from "@/tests/fake-github";
import { createConnection } from "./connections";
import { finishUpstreamLogin } from "./upstream-callback";
import { startUpstreamLogin } from "./upstream-login";

process.env.AUTH_SECRET ??= "github-flow-test-secret-0123456789abcdef";

const ISSUER = "https://id.example.com";
const actor = { type: "system" as const, id: null, label: "test" };

describe.each(testDatabases)("a sign-in through the GitHub preset on $name", ({ target }) => {
  let db: TestDatabase;
  let github: FakeGitHub;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    github = await startFakeGitHub();
    await createConnection(db.prisma, actor, ISSUER, { slug: "github", kind: "github", name: "GitHub", client_id: github.clientId, client_secret: github.clientSecret });
  });
  afterAll(async () => {
    await github?.close();
    await db?.dispose();
  });

  const signIn = async (account: GitHubAccount) => {
    const started = await startUpstreamLogin(db.prisma, { slug: "github", returnTo: "/account", issuer: ISSUER, now: new Date() }, github.endpoints);
    if (started.type !== "redirect") throw new Error("not started");
    const location = new URL(started.location);
    expect(location.origin + location.pathname).toBe(github.endpoints.authorization);
    // GitHub is OAuth 2.0 only: no nonce (no ID token), the preset's scopes.
    expect(location.searchParams.get("nonce")).toBeNull();
    expect(location.searchParams.get("scope")).toBe("read:user user:email");
    const callback = new URL(github.authorize(started.location, account));
    return finishUpstreamLogin(db.prisma, { slug: "github", url: callback, cookies: `${started.cookie.name}=${started.cookie.value}`, issuer: ISSUER, now: new Date() }, github.endpoints);
  };

  it("takes the numeric id as the subject and the primary verified email; signs the same user in again after a rename", async () => {
    const account = {
      id: 4242, login: "octo", name: null,
      emails: [{ email: "secondary@example.org", primary: false, verified: true }, { email: "octo@example.org", primary: true, verified: true }],
    };
    const first = await signIn(account);
    expect(first).toMatchObject({ type: "signed_in", signIn: { amr: ["fed"], idp: "github" }, user: { email: "octo@example.org", name: "octo" } });
    const identity = await db.prisma.userIdentity.findFirstOrThrow({ where: { subject: "4242" } });
    expect(identity.userId).toBe(first.type === "signed_in" && first.user.id);
    expect(await signIn({ ...account, login: "renamed" })).toMatchObject({ type: "signed_in", user: { id: identity.userId } });
  });

  it("a primary email GitHub has not verified never links to an existing account", async () => {
    await db.prisma.user.create({ data: { email: "taken@example.org", passwordHash: null } });
    const outcome = await signIn({ id: 99, login: "squatter", name: "S", emails: [{ email: "taken@example.org", primary: true, verified: false }] });
    expect(outcome).toMatchObject({ type: "error_page", title: "An account with this email already exists" });
    expect(await db.prisma.userIdentity.count({ where: { subject: "99" } })).toBe(0);
  });
});
