import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { createUser } from "../auth/users";
import { createApp } from "../clients/apps";
import type { AuthSession } from "./authorize/flow";
import { ensureSigningKeys } from "../keys/signing-keys";
import { confirmEndSession, endSession, signedOutAppName, signOutView, type EndSessionOutcome } from "./end-session";
import { signAccessToken } from "./tokens/access-token";
import { signIdToken } from "./tokens/id-token";

const ISSUER = "https://id.example.com";
const actor: Actor = { type: "system", id: null, label: "test" };
const LOGOUT_URI = "https://rp.example/logged-out?from=idp";

function location(outcome: EndSessionOutcome | { type: "view" }): URL {
  if (outcome.type !== "redirect" && outcome.type !== "signed_out") throw new Error(`expected a redirect, got ${JSON.stringify(outcome)}`);
  return new URL(outcome.location, ISSUER);
}

describe.each(testDatabases)("RP-initiated logout on $name", ({ target }) => {
  let db: TestDatabase;
  let alice: AuthSession;
  let bob: AuthSession;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    const a = await createUser(db.prisma, { email: "alice-logout@example.com", password: "correct horse battery" }, "member");
    const b = await createUser(db.prisma, { email: "bob-logout@example.com", password: "correct horse battery" }, "member");
    alice = { userId: a.id, authTime: new Date(Date.now() - 60_000) };
    bob = { userId: b.id, authTime: new Date(Date.now() - 60_000) };
  });
  afterAll(async () => {
    await db?.dispose();
  });

  async function app(input: Record<string, unknown> = {}) {
    const created = await createApp(
      db.prisma,
      actor,
      { client_type: "first_party", name: "Logout app", redirect_uris: ["https://rp.example/cb"], post_logout_redirect_uris: [LOGOUT_URI], ...input },
      "api",
    );
    return { clientId: created.app.client_id, clientSecret: created.clientSecret };
  }

  /** An ID token as the token endpoint issues it. */
  async function idToken(
    a: { clientId: string; clientSecret?: string | null },
    session: AuthSession,
    options: { alg?: "RS256" | "ES256" | "HS256"; now?: Date } = {},
  ) {
    return signIdToken(db.oauth, {
      client: { clientId: a.clientId, clientType: "first_party", idTokenSignedResponseAlg: options.alg ?? "RS256" },
      user: { id: session.userId, email: "x@example.com", name: null },
      scopes: ["openid"],
      authTime: session.authTime,
      nonce: null,
      accessToken: "at",
      clientSecret: a.clientSecret ?? null,
      now: options.now ?? new Date(),
    });
  }

  const params = (values: Record<string, string>) => new URLSearchParams(values);
  const endedEvents = () => db.prisma.auditEvent.findMany({ where: { action: "session.ended" }, orderBy: { seq: "asc" } });

  it("a verified hint for the signed-in user and a registered URI: signed out, back to the app with state", async () => {
    const a = await app();
    const hint = await idToken(a, alice);
    const before = (await endedEvents()).length;
    const outcome = await endSession(db.oauth, params({ id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: "st 1" }), alice, "GET");
    expect(outcome.type).toBe("signed_out");
    const url = location(outcome);
    expect(url.origin + url.pathname).toBe("https://rp.example/logged-out");
    expect(Object.fromEntries(url.searchParams)).toEqual({ from: "idp", state: "st 1" });
    // client_id may be given too, when it matches.
    const both = await endSession(db.oauth, params({ id_token_hint: hint, client_id: a.clientId, post_logout_redirect_uri: LOGOUT_URI }), alice, "POST");
    expect(both.type).toBe("signed_out");
    expect(location(both).searchParams.has("state")).toBe(false);

    const events = (await endedEvents()).slice(before);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actorType: "user", actorId: alice.userId, actorLabel: "alice-logout@example.com", targetId: a.clientId });
    expect(events[0]!.details).toEqual({ user_id: alice.userId, via: "id_token_hint", client_id: a.clientId });
    expect(JSON.stringify(events.map((e) => [e.actorLabel, e.details]))).not.toContain(hint.split(".")[2]!);
  });

  it("an ES256 hint verifies too, and an expired hint is still accepted", async () => {
    const a = await app({ id_token_signed_response_alg: "ES256" });
    const es = await idToken(a, alice, { alg: "ES256" });
    expect(es.startsWith("eyJhbGciOiJFUzI1NiIs")).toBe(true);
    expect((await endSession(db.oauth, params({ id_token_hint: es }), alice, "GET")).type).toBe("signed_out");
    const expired = await idToken(a, alice, { now: new Date(Date.now() - 3 * 24 * 3600_000) });
    const outcome = await endSession(db.oauth, params({ id_token_hint: expired, post_logout_redirect_uri: LOGOUT_URI, state: "s" }), alice, "GET");
    expect(outcome.type).toBe("signed_out");
    expect(location(outcome).searchParams.get("state")).toBe("s");
  });

  it("an unregistered or unattributable post_logout_redirect_uri is never redirected to, and nobody is signed out", async () => {
    const a = await app();
    const hint = await idToken(a, alice);
    const before = (await endedEvents()).length;
    for (const uri of ["https://evil.example/logged-out", "https://rp.example/logged-out", `${LOGOUT_URI}&x=1`, "https://rp.example/cb"]) {
      const outcome = await endSession(db.oauth, params({ id_token_hint: hint, post_logout_redirect_uri: uri, state: "s" }), alice, "GET");
      expect(outcome).toMatchObject({ type: "error_page", title: "Unregistered post-logout redirect URI" });
      // The page names the app, the refused address and (for the owner) what is registered.
      expect(outcome).toMatchObject({
        details: {
          app: { clientId: a.clientId },
          refused: { parameter: "post_logout_redirect_uri", value: uri },
          registered: { label: "Registered post-logout redirect URIs", values: [LOGOUT_URI] },
        },
      });
    }
    // Without client_id or hint, the URI belongs to no app.
    expect(await endSession(db.oauth, params({ post_logout_redirect_uri: LOGOUT_URI }), alice, "GET")).toMatchObject({ type: "error_page" });
    // Not signed in: still no redirect.
    expect((await endSession(db.oauth, params({ client_id: a.clientId, post_logout_redirect_uri: "https://evil.example/" }), null, "GET")).type).toBe("error_page");
    expect((await endedEvents()).length).toBe(before);
  });

  it("a hint issued to another app than client_id is refused; unknown and disabled apps too", async () => {
    const a = await app();
    const other = await app({ post_logout_redirect_uris: ["https://other.example/bye"] });
    const hint = await idToken(a, alice);
    const outcome = await endSession(db.oauth, params({ id_token_hint: hint, client_id: other.clientId, post_logout_redirect_uri: "https://other.example/bye" }), alice, "GET");
    expect(outcome).toMatchObject({ type: "error_page", description: expect.stringMatching(/another app/) });
    expect(await endSession(db.oauth, params({ client_id: "ca_nope" }), alice, "GET")).toMatchObject({
      type: "error_page",
      title: "Unknown app",
      details: { refused: { parameter: "client_id", value: "ca_nope" } },
    });
    await db.prisma.connectedApp.update({ where: { clientId: a.clientId }, data: { status: "disabled" } });
    expect(await endSession(db.oauth, params({ id_token_hint: hint }), alice, "GET")).toMatchObject({ type: "error_page", title: "Unknown app" });
    expect(await signedOutAppName(db.oauth, a.clientId)).toBeNull();
    expect(await signedOutAppName(db.oauth, other.clientId)).toBe("Logout app");
  });

  it("forged or foreign hints are refused: garbage, another key under our kid, another issuer, an access token", async () => {
    const a = await app();
    const { kid, key } = await db.oauth.keys.signing("RS256");
    const foreign = await generateKeyPair("RS256");
    const claims = { sub: alice.userId, aud: a.clientId, azp: a.clientId };
    const jwt = (iss: string) => new SignJWT(claims).setIssuer(iss).setIssuedAt().setExpirationTime("1h");
    const hints = [
      "garbage",
      "a.b.c",
      await jwt(ISSUER).setProtectedHeader({ alg: "RS256", typ: "JWT", kid }).sign(foreign.privateKey),
      await jwt("https://other-idp.example").setProtectedHeader({ alg: "RS256", typ: "JWT", kid }).sign(key),
      await jwt(ISSUER).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "unknown-kid" }).sign(key),
      (await signAccessToken(db.oauth, { issuer: ISSUER, subject: alice.userId, clientId: a.clientId, scopes: ["openid"], audience: [a.clientId], jtiPrefix: "f", ttlSeconds: 60, now: new Date() })).token,
    ];
    // The control: the same claims, our key and issuer, do verify.
    const genuine = await jwt(ISSUER).setProtectedHeader({ alg: "RS256", typ: "JWT", kid }).sign(key);
    expect((await endSession(db.oauth, params({ id_token_hint: genuine }), alice, "GET")).type).toBe("signed_out");
    for (const hint of hints) {
      const outcome = await endSession(db.oauth, params({ id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI }), alice, "GET");
      expect(outcome, hint).toMatchObject({ type: "error_page", title: "Sign-out request refused" });
    }
    // Repeated or NUL-bearing parameters are refused as well.
    const twice = new URLSearchParams([["client_id", a.clientId], ["client_id", a.clientId]]);
    expect((await endSession(db.oauth, twice, alice, "GET")).type).toBe("error_page");
    expect((await endSession(db.oauth, params({ client_id: "ca_\u0000" }), alice, "GET")).type).toBe("error_page");
  });

  it("no hint: the user confirms on a CSRF-protected page, then is signed out and sent back", async () => {
    const a = await app();
    const request = params({ client_id: a.clientId, post_logout_redirect_uri: LOGOUT_URI, state: "st", ui_locales: "fr", logout_hint: "x" });
    const outcome = await endSession(db.oauth, request, alice, "GET");
    expect(outcome.type).toBe("redirect");
    const page = location(outcome);
    expect(page.pathname).toBe("/signout");
    expect(Object.fromEntries(page.searchParams)).toEqual({ client_id: a.clientId, post_logout_redirect_uri: LOGOUT_URI, state: "st" });

    const view = await signOutView(db.oauth, page.searchParams, alice);
    if (view.type !== "view") throw new Error(`expected the confirmation view, got ${JSON.stringify(view)}`);
    expect(view.view).toMatchObject({ issuer: ISSUER, appName: "Logout app", email: "alice-logout@example.com" });
    const form = (csrf: string, extra: [string, string][] = []) => new URLSearchParams([...view.view.fields, ...extra, ["csrf", csrf]]);

    const before = (await endedEvents()).length;
    expect(await confirmEndSession(db.oauth, form("forged"), alice)).toMatchObject({ type: "error_page", title: "The form has expired" });
    // Bound to the user, the sign-in and the request.
    expect((await confirmEndSession(db.oauth, form(view.view.csrfToken), bob)).type).toBe("error_page");
    expect((await confirmEndSession(db.oauth, form(view.view.csrfToken), { ...alice, authTime: new Date() })).type).toBe("error_page");
    const swapped = new URLSearchParams(form(view.view.csrfToken));
    swapped.set("state", "other");
    expect((await confirmEndSession(db.oauth, swapped, alice)).type).toBe("error_page");
    expect((await endedEvents()).length).toBe(before);

    const done = await confirmEndSession(db.oauth, form(view.view.csrfToken), alice);
    expect(done.type).toBe("signed_out");
    expect(Object.fromEntries(location(done).searchParams)).toEqual({ from: "idp", state: "st" });
    const events = (await endedEvents()).slice(before);
    expect(events.map((e) => e.details)).toEqual([{ user_id: alice.userId, via: "confirmation", client_id: a.clientId }]);
  });

  it("asks too for an HS256 hint (not verifiable here) and for a hint naming another user", async () => {
    const a = await app({ id_token_signed_response_alg: "HS256" });
    const hs = await idToken(a, alice, { alg: "HS256" });
    expect(hs.startsWith("eyJhbGciOiJIUzI1NiIs")).toBe(true);
    // The hint's audience names the app when client_id is absent.
    const page = location(await endSession(db.oauth, params({ id_token_hint: hs, post_logout_redirect_uri: LOGOUT_URI, state: "s" }), alice, "GET"));
    expect(page.pathname).toBe("/signout");
    expect(Object.fromEntries(page.searchParams)).toEqual({ client_id: a.clientId, post_logout_redirect_uri: LOGOUT_URI, state: "s" });
    // …and must agree with it when both are given.
    const other = await app();
    expect((await endSession(db.oauth, params({ id_token_hint: hs, client_id: other.clientId }), alice, "GET")).type).toBe("error_page");

    const rs = await idToken(other, alice);
    const asBob = location(await endSession(db.oauth, params({ id_token_hint: rs }), bob, "GET"));
    expect(asBob.pathname).toBe("/signout");
    expect(Object.fromEntries(asBob.searchParams)).toEqual({ client_id: other.clientId });
  });

  it("nobody signed in: a GET goes straight on, a POST is repeated as a GET (the Lax session cookie rides only on that)", async () => {
    const a = await app();
    const hint = await idToken(a, alice);
    const get = await endSession(db.oauth, params({ client_id: a.clientId, post_logout_redirect_uri: LOGOUT_URI, state: "s" }), null, "GET");
    expect(get.type).toBe("signed_out");
    expect(location(get).searchParams.get("state")).toBe("s");
    const post = await endSession(db.oauth, params({ id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: "s", ui_locales: "de" }), null, "POST");
    expect(post.type).toBe("redirect");
    const again = location(post);
    expect(again.pathname).toBe("/oauth2/end_session");
    expect(Object.fromEntries(again.searchParams)).toEqual({ id_token_hint: hint, client_id: a.clientId, post_logout_redirect_uri: LOGOUT_URI, state: "s" });
    // The confirmation page with nobody signed in has nothing to confirm.
    const view = await signOutView(db.oauth, params({ client_id: a.clientId }), null);
    expect(view).toEqual({ type: "redirect", location: `/oauth2/end_session?client_id=${a.clientId}` });
  });

  it("without a post_logout_redirect_uri the user lands on the signed-out page (naming the app when known)", async () => {
    const a = await app();
    const hint = await idToken(a, alice);
    expect(await endSession(db.oauth, params({ id_token_hint: hint, state: "ignored" }), alice, "GET")).toEqual({
      type: "signed_out",
      location: `/signout/done?client_id=${a.clientId}`,
    });
    expect(await endSession(db.oauth, params({}), null, "GET")).toEqual({ type: "signed_out", location: "/signout/done" });
  });

  it.each([
    [1024, "signed_out"],
    [1025, "error_page"],
  ])("state of %i characters: %s (at most 1024)", async (length, type) => {
    const a = await app();
    const state = "s".repeat(length);
    const outcome = await endSession(db.oauth, params({ client_id: a.clientId, post_logout_redirect_uri: LOGOUT_URI, state }), null, "GET");
    expect(outcome.type).toBe(type);
    if (outcome.type === "signed_out") expect(location(outcome).searchParams.get("state")).toBe(state);
    else expect(outcome).toMatchObject({ title: "Sign-out request refused", description: expect.stringContaining("1024 characters") });
  });

  it("any of the app's registered post-logout URIs may be asked for; state rides only with one", async () => {
    const second = "https://rp.example/second-bye";
    const a = await app({ post_logout_redirect_uris: [LOGOUT_URI, second] });
    expect(await endSession(db.oauth, params({ client_id: a.clientId, post_logout_redirect_uri: second, state: "s" }), null, "GET")).toEqual({
      type: "signed_out",
      location: `${second}?state=s`,
    });
    // Confirmation page for a request without a post-logout URI: its state goes nowhere, so it is not carried.
    const page = location(await endSession(db.oauth, params({ client_id: a.clientId, state: "s" }), alice, "GET"));
    expect(Object.fromEntries(page.searchParams)).toEqual({ client_id: a.clientId });
  });

  it("the confirmation with nobody signed in (signed out meanwhile) goes straight on, and records nothing", async () => {
    const a = await app();
    const before = (await endedEvents()).length;
    const done = await confirmEndSession(db.oauth, params({ client_id: a.clientId, post_logout_redirect_uri: LOGOUT_URI, state: "s", csrf: "anything" }), null);
    expect(done).toEqual({ type: "signed_out", location: `${LOGOUT_URI}&state=s` });
    expect(await endedEvents()).toHaveLength(before);
    expect(await confirmEndSession(db.oauth, params({ client_id: a.clientId }), alice)).toMatchObject({ type: "error_page", title: "The form has expired" });
  });

  it("a user deleted before the sign-out is recorded by id; without an app, the event names none", async () => {
    const gone = await createUser(db.prisma, { email: "gone-logout@example.com", password: "correct horse battery" }, "member");
    const session = { userId: gone.id, authTime: new Date(Date.now() - 60_000) };
    const view = await signOutView(db.oauth, params({}), session);
    if (view.type !== "view") throw new Error("expected the confirmation page");
    expect(view.view).toMatchObject({ appName: null, email: "gone-logout@example.com" });
    await db.prisma.user.delete({ where: { id: gone.id } });
    const before = (await endedEvents()).length;
    expect(await confirmEndSession(db.oauth, new URLSearchParams([...view.view.fields, ["csrf", view.view.csrfToken]]), session)).toEqual({
      type: "signed_out",
      location: "/signout/done",
    });
    const [event] = (await endedEvents()).slice(before);
    expect(event).toMatchObject({ actorLabel: gone.id, targetId: null, details: { user_id: gone.id, via: "confirmation" } });
    expect(event!.details).not.toHaveProperty("client_id");
  });

  it("the signed-out page names an active app only, and looks up nothing it could not store", async () => {
    const a = await app({ name: "Named on the page" });
    const disabled = await app({ status: "disabled" });
    expect(await signedOutAppName(db.oauth, a.clientId)).toBe("Named on the page");
    expect(await signedOutAppName(db.oauth, disabled.clientId)).toBeNull();
    for (const clientId of [undefined, "", "ca_unknown", "x".repeat(4097), "ca_\u0000"]) {
      expect(await signedOutAppName(db.oauth, clientId), String(clientId).slice(0, 20)).toBeNull();
    }
    // 4096 characters is still a possible client_id (a metadata-document URL): looked up, not refused.
    const lookups: string[] = [];
    const spy = { ...db.oauth, store: { ...db.oauth.store, interactionClient: async (id: string) => (lookups.push(id), null) } };
    await signedOutAppName(spy, "y".repeat(4096));
    await signedOutAppName(spy, "y".repeat(4097));
    expect(lookups.map((id) => id.length)).toEqual([4096]);
  });

  it("loopback post-logout URIs of public apps match on any port, like redirect URIs", async () => {
    const a = await app({ client_type: "first_party_public", redirect_uris: ["http://127.0.0.1/cb"], post_logout_redirect_uris: ["http://127.0.0.1/bye"] });
    const hint = await idToken(a, alice);
    const outcome = await endSession(db.oauth, params({ id_token_hint: hint, post_logout_redirect_uri: "http://127.0.0.1:53123/bye" }), alice, "GET");
    expect(outcome).toEqual({ type: "signed_out", location: "http://127.0.0.1:53123/bye" });
    expect((await endSession(db.oauth, params({ id_token_hint: hint, post_logout_redirect_uri: "http://127.0.0.1:53123/other" }), alice, "GET")).type).toBe("error_page");
  });
});
