import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../../audit";
import { createUser } from "../../auth/users";
import { createApp } from "../../clients/apps";
import { hashToken } from "../../crypto/tokens";
import { s256 } from "../pkce";
import { appForReturnPath, appNameForReturnPath, returnPathAsksLogin } from "./interaction";
import { abandonAuthorization, authorize, consentView, decideConsent, resumeAuthorization, type AuthorizeOutcome, type AuthSession } from "./flow";

const ISSUER = "https://id.example.com";
const actor: Actor = { type: "system", id: null, label: "test" };
const VERIFIER = "v".repeat(43);

function location(outcome: AuthorizeOutcome): URL {
  if (outcome.type !== "redirect") throw new Error(`expected a redirect, got ${JSON.stringify(outcome)}`);
  return new URL(outcome.location, ISSUER);
}

describe.each(testDatabases)("authorization flow on $name", ({ target }) => {
  let db: TestDatabase;
  let session: AuthSession;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    const user = await createUser(db.prisma, { email: "flow@example.com", password: "correct horse battery" }, "member");
    session = { userId: user.id, authTime: new Date(Date.now() - 60_000) };
  });
  afterAll(async () => {
    await db?.dispose();
  });

  async function app(input: Record<string, unknown> = {}) {
    const { app } = await createApp(
      db.prisma,
      actor,
      { client_type: "third_party", name: "Flow app", redirect_uris: ["https://rp.example/cb"], ...input },
      "api",
    );
    return app;
  }
  const params = (clientId: string, extra: Record<string, string> = {}) =>
    new URLSearchParams({ client_id: clientId, response_type: "code", scope: "openid", state: "st", ...extra });

  it("unknown client and unregistered redirect URI give the error page, never a redirect", async () => {
    const a = await app();
    expect((await authorize(db.oauth, params("ca_nope"), session)).type).toBe("error_page");
    const bad = await authorize(db.oauth, params(a.client_id, { redirect_uri: "https://evil.example/cb" }), session);
    expect(bad).toMatchObject({ type: "error_page", title: "Unregistered redirect URI" });
    // The page names the app, what was refused and what is registered (shown to the owner only, errorPage).
    expect(bad).toMatchObject({
      details: {
        app: { name: "Flow app", clientId: a.client_id },
        refused: { parameter: "redirect_uri", value: "https://evil.example/cb" },
        registered: { label: "Registered redirect URIs", values: ["https://rp.example/cb"] },
      },
    });
    expect(await authorize(db.oauth, params("ca_nope"), session)).toMatchObject({ details: { refused: { parameter: "client_id", value: "ca_nope" } } });
    const several = await app({ redirect_uris: ["https://rp.example/a", "https://rp.example/b"] });
    expect(await authorize(db.oauth, params(several.client_id), session)).toMatchObject({
      title: "Missing redirect_uri",
      details: { app: { clientId: several.client_id }, registered: { values: ["https://rp.example/a", "https://rp.example/b"] } },
    });
    const twice = new URLSearchParams([["client_id", a.client_id], ["client_id", a.client_id]]);
    expect((await authorize(db.oauth, twice, session)).type).toBe("error_page");
  });

  it("other errors are redirected with state and iss", async () => {
    const a = await app();
    const url = location(await authorize(db.oauth, params(a.client_id, { response_type: "token" }), session));
    expect(Object.fromEntries(url.searchParams)).toEqual({ error: "unsupported_response_type", error_description: expect.any(String), state: "st", iss: ISSUER });
    expect(url.origin + url.pathname).toBe("https://rp.example/cb");
    const scope = location(await authorize(db.oauth, params(a.client_id, { scope: "openid admin" }), session));
    expect(scope.searchParams.get("error")).toBe("invalid_scope");
    const target = location(await authorize(db.oauth, params(a.client_id, { resource: "/relative" }), session));
    expect(target.searchParams.get("error")).toBe("invalid_target");
    const plain = location(await authorize(db.oauth, params(a.client_id, { code_challenge: VERIFIER, code_challenge_method: "plain" }), session));
    expect(plain.searchParams.get("error")).toBe("invalid_request");
  });

  // Limits of the authorization request (request.ts): exactly the limit is accepted, one more refused.
  it.each([
    ["state", 1024, "accepted"],
    ["state", 1025, "invalid_request"],
    ["nonce", 512, "accepted"],
    ["nonce", 513, "invalid_request"],
    ["resource", 10, "accepted"],
    ["resource", 11, "invalid_target"],
  ])("%s at %i (characters, or values of resource): %s", async (name, size, expected) => {
    const a = await app();
    const source = params(a.client_id);
    source.delete(name);
    // resource: that many values (the issuer, always a resource of the project); others: one value that long.
    if (name === "resource") for (let i = 0; i < size; i++) source.append("resource", ISSUER);
    else source.set(name, "x".repeat(size));
    const url = location(await authorize(db.oauth, source, session));
    if (expected === "accepted") {
      expect(url.pathname).toBe("/consent");
    } else {
      expect(url.searchParams.get("error")).toBe(expected);
      // An oversize state is not echoed back.
      expect(url.searchParams.get("state")).toBe(name === "state" ? null : "st");
    }
  });

  it("public apps must use PKCE", async () => {
    const a = await app({ client_type: "third_party_public", redirect_uris: ["http://127.0.0.1/cb"] });
    const url = location(await authorize(db.oauth, params(a.client_id), session));
    expect(url.searchParams.get("error")).toBe("invalid_request");
    expect(url.searchParams.get("error_description")).toMatch(/PKCE/);
  });

  it("a pending request keeps the requester's address (when a trusted proxy names it), which bounds what one address may leave", async () => {
    const a = await app();
    const named = await authorize(db.oauth, params(a.client_id), null, undefined, { source: "203.0.113.9" });
    const unnamed = await authorize(db.oauth, params(a.client_id), null);
    if (named.type !== "redirect" || !named.setBinding || unnamed.type !== "redirect" || !unnamed.setBinding) throw new Error("expected sign-in redirects");
    expect((await db.oauth.store.pendingRequest(named.setBinding.id))?.source).toBe("203.0.113.9");
    expect((await db.oauth.store.pendingRequest(unnamed.setBinding.id))?.source).toBeNull();
  });

  it("no session: sign-in, then back to the same request, consent, Allow, code", async () => {
    const a = await app();
    const start = await authorize(db.oauth, params(a.client_id, { nonce: "n1" }), null);
    expect(start.type === "redirect" && start.setBinding).toBeTruthy();
    if (start.type !== "redirect" || !start.setBinding) throw new Error("unreachable");
    expect(location(start).pathname).toBe("/signin");
    const binding = { requestId: start.setBinding.id, bindingSecret: start.setBinding.secret };
    // The sign-in page can say which app the user is signing in to.
    expect(await appNameForReturnPath(db.oauth, location(start).searchParams.get("callbackUrl")!)).toBe("Flow app");
    expect(await appNameForReturnPath(db.oauth, "/account")).toBeNull();

    // Another browser (no binding cookie) cannot continue it.
    expect((await resumeAuthorization(db.oauth, { ...binding, bindingSecret: "x" }, session)).type).toBe("error_page");
    const fresh = { ...session, authTime: new Date() };
    const resumed = location(await resumeAuthorization(db.oauth, binding, fresh));
    expect(resumed.pathname).toBe("/consent");
    const view = await consentView(db.oauth, binding, fresh);
    if (view.type !== "view") throw new Error("expected the consent view");
    expect(view.view.app).toMatchObject({ name: "Flow app", ownership: "third_party", localhostOnly: false });
    expect(view.view.scopes.map((s) => s.name)).toEqual(["openid"]);

    const forged = await decideConsent(db.oauth, { ...binding, csrfToken: "forged", decision: "allow" }, fresh);
    expect(forged.type).toBe("error_page");
    const done = await decideConsent(db.oauth, { ...binding, csrfToken: view.view.csrfToken, decision: "allow" }, fresh);
    const callback = location(done);
    expect(callback.searchParams.get("code")).toMatch(/^[\w-]{43}$/);
    expect(callback.searchParams.get("iss")).toBe(ISSUER);
    expect(callback.searchParams.get("state")).toBe("st");
    expect(done.type === "redirect" && done.clearBinding).toBe(binding.requestId);
    // A double submit finds the request finished.
    expect((await decideConsent(db.oauth, { ...binding, csrfToken: view.view.csrfToken, decision: "allow" }, fresh)).type).toBe("error_page");

    // Remembered: the next request skips consent; more scopes ask again.
    expect(location(await authorize(db.oauth, params(a.client_id), session)).searchParams.get("code")).toBeTruthy();
    expect(location(await authorize(db.oauth, params(a.client_id, { scope: "openid email" }), session)).pathname).toBe("/consent");
    // prompt=none: consent_required rather than the page.
    const none = location(await authorize(db.oauth, params(a.client_id, { scope: "openid email", prompt: "none" }), session));
    expect(none.searchParams.get("error")).toBe("consent_required");
  });

  it("Deny sends access_denied", async () => {
    const a = await app();
    const start = await authorize(db.oauth, params(a.client_id), session);
    if (start.type !== "redirect" || !start.setBinding) throw new Error("expected consent");
    const binding = { requestId: start.setBinding.id, bindingSecret: start.setBinding.secret };
    const view = await consentView(db.oauth, binding, session);
    if (view.type !== "view") throw new Error("expected the consent view");
    const url = location(await decideConsent(db.oauth, { ...binding, csrfToken: view.view.csrfToken, decision: "deny" }, session));
    expect(url.searchParams.get("error")).toBe("access_denied");
    expect(url.searchParams.get("state")).toBe("st");
  });

  it("'Not you?' signs another account in to the same request: consent is then asked of that account", async () => {
    const a = await app();
    const start = await authorize(db.oauth, params(a.client_id), session);
    if (start.type !== "redirect" || !start.setBinding) throw new Error("expected consent");
    const binding = { requestId: start.setBinding.id, bindingSecret: start.setBinding.secret };
    const view = await consentView(db.oauth, binding, session);
    if (view.type !== "view") throw new Error("expected the consent view");
    const switchTo = new URL(view.view.switchAccountPath, ISSUER);
    expect(switchTo.pathname).toBe("/signin");
    expect(switchTo.searchParams.get("callbackUrl")).toBe(`/oauth2/authorize/resume?request=${binding.requestId}`);

    const other = await createUser(db.prisma, { email: "flow-other@example.com", password: "correct horse battery" }, "member");
    const otherSession = { userId: other.id, authTime: new Date(Date.now() + 1000) };
    expect(location(await resumeAuthorization(db.oauth, binding, otherSession)).pathname).toBe("/consent");
    const asOther = await consentView(db.oauth, binding, otherSession);
    if (asOther.type !== "view") throw new Error("expected the consent view");
    expect(asOther.view.requestId).toBe(binding.requestId);
    // The first account's form no longer decides for the one now signed in.
    expect(asOther.view.csrfToken).not.toBe(view.view.csrfToken);
    const url = location(await decideConsent(db.oauth, { ...binding, csrfToken: asOther.view.csrfToken, decision: "allow" }, otherSession));
    expect(url.searchParams.get("code")).toBeTruthy();
    expect(url.searchParams.get("state")).toBe("st");
  });

  it("prompt=none without a session is login_required; prompt=login and max_age ask to sign in once, not in a loop", async () => {
    const a = await app({ client_type: "first_party", skip_consent: true });
    const none = location(await authorize(db.oauth, params(a.client_id, { prompt: "none" }), null));
    expect(none.searchParams.get("error")).toBe("login_required");
    expect(location(await authorize(db.oauth, params(a.client_id, { prompt: "none" }), session)).searchParams.get("code")).toBeTruthy();

    for (const extra of [{ prompt: "login" }, { max_age: "10" }, { max_age: "0" }] as Record<string, string>[]) {
      const start = await authorize(db.oauth, params(a.client_id, extra), session);
      if (start.type !== "redirect" || !start.setBinding) throw new Error(`expected sign-in for ${JSON.stringify(extra)}`);
      expect(location(start).pathname).toBe("/signin");
      const binding = { requestId: start.setBinding.id, bindingSecret: start.setBinding.secret };
      // The old session does not satisfy it; a sign-in after the request does.
      expect(location(await resumeAuthorization(db.oauth, binding, session)).pathname).toBe("/signin");
      const signedInAgain = { ...session, authTime: new Date(Date.now() + 1000) };
      expect(location(await resumeAuthorization(db.oauth, binding, signedInAgain)).searchParams.get("code")).toBeTruthy();
    }
    // A recent enough sign-in satisfies max_age directly.
    expect(location(await authorize(db.oauth, params(a.client_id, { max_age: "3600" }), session)).searchParams.get("code")).toBeTruthy();
  });

  it("first-party skip_consent goes straight through, except a new offline_access and prompt=consent", async () => {
    const a = await app({ client_type: "first_party_public", skip_consent: true, redirect_uris: ["http://127.0.0.1/cb"] });
    const pkce = { code_challenge: s256(VERIFIER), code_challenge_method: "S256" };
    // Consent for an app that only redirects to this device carries a warning.
    const asked = await authorize(db.oauth, params(a.client_id, { ...pkce, prompt: "consent" }), session);
    if (asked.type !== "redirect" || !asked.setBinding) throw new Error("expected consent");
    const view = await consentView(db.oauth, { requestId: asked.setBinding.id, bindingSecret: asked.setBinding.secret }, session);
    expect(view.type === "view" && view.view.app.localhostOnly).toBe(true);
    expect(location(await authorize(db.oauth, params(a.client_id, pkce), session)).searchParams.get("code")).toBeTruthy();
    expect(location(await authorize(db.oauth, params(a.client_id, { ...pkce, scope: "openid offline_access" }), session)).pathname).toBe("/consent");
    expect(location(await authorize(db.oauth, params(a.client_id, { ...pkce, prompt: "consent" }), session)).pathname).toBe("/consent");
  });

  it("full_access: refused for third-party apps; for a first-party app that allows it, shown as a warning, not as a scope", async () => {
    const third = await app({ allowed_scopes: ["openid"] });
    const refused = location(await authorize(db.oauth, params(third.client_id, { scope: "openid full_access" }), session));
    expect(refused.searchParams.get("error")).toBe("invalid_scope");
    const first = await app({ client_type: "first_party", full_access_allowed: true, allowed_scopes: ["openid", "full_access"] });
    const start = await authorize(db.oauth, params(first.client_id, { scope: "openid full_access" }), session);
    if (start.type !== "redirect" || !start.setBinding) throw new Error("expected consent");
    const view = await consentView(db.oauth, { requestId: start.setBinding.id, bindingSecret: start.setBinding.secret }, session);
    if (view.type !== "view") throw new Error("expected the consent view");
    expect(view.view.fullAccess).toBe(true);
    expect(view.view.scopes.map((s) => s.name)).toEqual(["openid"]);
  });

  it("a sign-in abandoned at a connection's upstream sends access_denied to the registered redirect URI, once, and only from the request's browser", async () => {
    const a = await app({ client_type: "first_party" });
    const start = await authorize(db.oauth, params(a.client_id), null);
    if (start.type !== "redirect" || !start.setBinding) throw new Error("expected sign-in");
    const binding = { requestId: start.setBinding.id, bindingSecret: start.setBinding.secret };
    // The sign-in page learns the app's id and type (which connections it may offer).
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: a.client_id } });
    expect(await appForReturnPath(db.oauth, location(start).searchParams.get("callbackUrl")!)).toEqual({ id: row.id, clientType: "first_party" });
    expect(await appForReturnPath(db.oauth, "/account")).toBeNull();
    // Only prompt=login makes a sign-in connection ask its upstream for a fresh sign-in.
    expect(await returnPathAsksLogin(db.oauth, location(start).searchParams.get("callbackUrl")!)).toBe(false);
    const again = await authorize(db.oauth, params(a.client_id, { prompt: "login" }), null);
    expect(await returnPathAsksLogin(db.oauth, location(again).searchParams.get("callbackUrl")!)).toBe(true);
    expect(await returnPathAsksLogin(db.oauth, "/account")).toBe(false);

    expect(await abandonAuthorization(db.oauth, { ...binding, bindingSecret: "another browser" })).toMatchObject({ type: "error_page" });
    const outcome = await abandonAuthorization(db.oauth, binding);
    const url = location(outcome);
    expect(url.origin + url.pathname).toBe("https://rp.example/cb");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ error: "access_denied", state: "st", iss: ISSUER });
    expect(outcome.type === "redirect" && outcome.clearBinding).toBe(binding.requestId);
    expect(await abandonAuthorization(db.oauth, binding)).toMatchObject({ type: "error_page" });
  });

  it("the code carries how the session signed in (amr, idp), for the ID token", async () => {
    const a = await app({ client_type: "first_party", skip_consent: true });
    const federated = { ...session, signIn: { amr: ["fed"], idp: "acme" } };
    const code = location(await authorize(db.oauth, params(a.client_id), federated)).searchParams.get("code")!;
    expect(await db.oauth.store.findCode(hashToken(code))).toMatchObject({ signIn: { amr: ["fed"], idp: "acme" } });
    const unknown = location(await authorize(db.oauth, params(a.client_id), session)).searchParams.get("code")!;
    expect(await db.oauth.store.findCode(hashToken(unknown))).toMatchObject({ signIn: { amr: [], idp: null } });
  });

  it("a pending request expires", async () => {
    const a = await app();
    const start = await authorize(db.oauth, params(a.client_id), null);
    if (start.type !== "redirect" || !start.setBinding) throw new Error("expected sign-in");
    const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
    const outcome = await resumeAuthorization(db.oauth, { requestId: start.setBinding.id, bindingSecret: start.setBinding.secret }, session, later);
    expect(outcome).toMatchObject({ type: "error_page", title: "This request has expired" });
  });
});
