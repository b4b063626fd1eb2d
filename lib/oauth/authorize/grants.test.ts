import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { ISSUER, signedInUser } from "@/tests/oauth-client";
import { createApp } from "../../clients/apps";
import { listAppUsers, listAuthorizedApps } from "../../grants/authorized-apps";
import { authorize, consentView, decideConsent, type AuthorizeOutcome, type AuthSession } from "./flow";

function location(outcome: AuthorizeOutcome): URL {
  if (outcome.type !== "redirect") throw new Error(`expected a redirect, got ${JSON.stringify(outcome)}`);
  return new URL(outcome.location, ISSUER);
}

// What the user approves on the consent page is what is remembered, and it
// decides when they are asked again (docs/design.md policy table, "Consent").
describe.each(testDatabases)("remembered grants on $name", ({ target }) => {
  let db: TestDatabase;
  let session: AuthSession;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    session = await signedInUser(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  async function app(input: Record<string, unknown> = {}) {
    const { app } = await createApp(
      db.prisma,
      { type: "system", id: null, label: "test" },
      { client_type: "third_party", name: "Grant app", redirect_uris: ["https://rp.example/cb"], ...input },
      "api",
    );
    return app.client_id;
  }
  /** /authorize with `scope` (none at all when undefined). */
  const request = (clientId: string, scope: string | undefined, s = session, extra: Record<string, string> = {}) =>
    authorize(db.oauth, new URLSearchParams({ client_id: clientId, response_type: "code", ...(scope === undefined ? {} : { scope }), ...extra }), s);

  /** Asks, expects the consent page, and clicks Allow; returns the code. */
  async function approve(clientId: string, scope: string | undefined, s = session, extra: Record<string, string> = {}) {
    const asked = await request(clientId, scope, s, extra);
    expect(location(asked).pathname).toBe("/consent");
    if (asked.type !== "redirect" || !asked.setBinding) throw new Error("expected the consent page");
    const binding = { requestId: asked.setBinding.id, bindingSecret: asked.setBinding.secret };
    const view = await consentView(db.oauth, binding, s);
    if (view.type !== "view") throw new Error("expected the consent view");
    const code = location(await decideConsent(db.oauth, { ...binding, csrfToken: view.view.csrfToken, decision: "allow" }, s)).searchParams.get("code");
    expect(code).toBeTruthy();
  }
  const granted = async (clientId: string, s = session) =>
    (await listAuthorizedApps(db.prisma, s.userId)).find((a) => a.clientId === clientId)?.scopes.toSorted() ?? null;

  it("a third-party app is asked the first time even when it asks for no scopes; then it is remembered", async () => {
    const clientId = await app();
    await approve(clientId, undefined);
    expect(await granted(clientId)).toEqual([]);
    expect(location(await request(clientId, undefined)).searchParams.get("code")).toBeTruthy();
  });

  it("a first-party app that does not skip consent is asked the first time too, with no scopes", async () => {
    const clientId = await app({ client_type: "first_party" });
    expect(location(await request(clientId, undefined)).pathname).toBe("/consent");
    const skipping = await app({ client_type: "first_party", skip_consent: true });
    expect(location(await request(skipping, undefined)).searchParams.get("code")).toBeTruthy();
  });

  it("the grant holds exactly what was approved, grows to the union, and a subset changes nothing", async () => {
    const clientId = await app();
    const otherApp = await app();
    const otherUser = await signedInUser(db.prisma);
    await approve(otherApp, "openid");
    await approve(clientId, "openid", otherUser);

    await approve(clientId, "openid email");
    expect(await granted(clientId)).toEqual(["email", "openid"]);
    await approve(clientId, "openid profile");
    expect(await granted(clientId)).toEqual(["email", "openid", "profile"]);
    // A subset: no consent needed, and nothing narrows...
    expect(location(await request(clientId, "email")).searchParams.get("code")).toBeTruthy();
    // ...not even when the user is asked again and approves just that.
    await approve(clientId, "email", session, { prompt: "consent" });
    expect(await granted(clientId)).toEqual(["email", "openid", "profile"]);

    // Other users' and other apps' grants are untouched.
    expect(await granted(otherApp)).toEqual(["openid"]);
    expect(await granted(clientId, otherUser)).toEqual(["openid"]);
    const users = await listAppUsers(db.prisma, clientId);
    expect(users.map((u) => [u.user.id, u.scopes.toSorted()]).toSorted()).toEqual(
      [[session.userId, ["email", "openid", "profile"]], [otherUser.userId, ["openid"]]].toSorted(),
    );
  });
});
