import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { signUp, uniqueEmail } from "./fixtures";
import { CONFIDENTIAL_REDIRECT_URI, createApp } from "./oauth/clients";
import { basic, Provider, type TestApp } from "./oauth/flows";
import type { HttpSession } from "./oauth/http-session";

// OpenID Connect RP-Initiated Logout 1.0 at /oauth2/end_session: in a real
// browser (an app's sign-out with a verified ID token, the same as a
// cross-site form POST, and the confirmation page when there is no hint) and
// over HTTP (refusals: unregistered URIs, hints for another app, forged
// hints). The app's pages on https://rp.example are answered by Playwright.

const LOGOUT_URI = "https://rp.example/logged-out";
const PASSWORD = "correct horse battery";
const issuer = () => test.info().project.use.baseURL!.replace(/\/$/, "");
const unique = () => randomBytes(4).toString("hex");

/** Answers the app's pages (callback, logged-out page) in the browser. */
async function interceptClient(page: Page): Promise<void> {
  await page.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "rp" }));
}

/**
 * Sends the browser to a URL on the identity provider as an app's link would;
 * location.assign rather than page.goto, which (Playwright 1.65, Chromium)
 * lets a redirect on to https://rp.example bypass page.route (see oauth-consent.spec.ts).
 */
async function open(page: Page, path: string): Promise<void> {
  await page.evaluate((href) => void setTimeout(() => window.location.assign(href), 0), new URL(path, issuer()).href);
}

async function expectSignedOut(page: Page): Promise<void> {
  expect((await page.context().cookies()).map((c) => c.name).filter((n) => n.includes("session-token"))).toEqual([]);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);
}

/** A fresh user, signed in in the browser, and an ID token a skip-consent first-party app got for them (code exchange). */
async function idTokenInBrowser(page: Page, request: import("@playwright/test").APIRequestContext) {
  const app = await createApp(request, {
    client_type: "first_party",
    redirect_uris: [CONFIDENTIAL_REDIRECT_URI],
    post_logout_redirect_uris: [LOGOUT_URI],
    skip_consent: true,
  });
  await interceptClient(page);
  await signUp(page, uniqueEmail(), PASSWORD);
  const state = `state-${unique()}`;
  const authorize = new URLSearchParams({ response_type: "code", client_id: app.client_id, redirect_uri: CONFIDENTIAL_REDIRECT_URI, scope: "openid", state });
  await open(page, `/oauth2/authorize?${authorize}`);
  await expect(page).toHaveURL(new RegExp(`^https://rp\\.example/cb\\?.*state=${state}`));
  const code = new URL(page.url()).searchParams.get("code")!;
  const response = await request.post("/oauth2/token", {
    headers: { authorization: basic(app.client_id, app.client_secret!) },
    form: { grant_type: "authorization_code", code, redirect_uri: CONFIDENTIAL_REDIRECT_URI },
  });
  expect(response.status()).toBe(200);
  const { id_token } = (await response.json()) as { id_token: string };
  expect(id_token).toMatch(/^eyJ/);
  return { app, idToken: id_token };
}

test("discovery advertises the end_session_endpoint", async ({ request }) => {
  const doc = await (await request.get("/.well-known/openid-configuration")).json();
  expect(doc.end_session_endpoint).toBe(`${issuer()}/oauth2/end_session`);
});

test("an app signs the user out with its ID token and a registered URI, and gets state back", async ({ page, request }) => {
  const { idToken } = await idTokenInBrowser(page, request);
  const state = `bye-${unique()}`;
  await open(page, `/oauth2/end_session?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: LOGOUT_URI, state })}`);
  await expect(page).toHaveURL(`${LOGOUT_URI}?state=${state}`);
  await expectSignedOut(page);
});

test("the same request as a cross-site form POST from the app's page signs out too", async ({ page, request }) => {
  const { idToken } = await idTokenInBrowser(page, request);
  const state = `post-${unique()}`;
  const fields = { id_token_hint: idToken, post_logout_redirect_uri: LOGOUT_URI, state };
  // The app's page posts the form (its session cookie is SameSite=Lax, so this POST arrives without it).
  await page.route("https://rp.example/signout-form", (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/html",
      body: `<form method="post" action="${issuer()}/oauth2/end_session">${Object.entries(fields)
        .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
        .join("")}<button>Sign out</button></form>`,
    }),
  );
  await page.goto("https://rp.example/signout-form");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${LOGOUT_URI}?state=${state}`);
  await expectSignedOut(page);
});

test("without an ID token the user is asked first; confirming signs out and returns with state", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "third_party", redirect_uris: [CONFIDENTIAL_REDIRECT_URI], post_logout_redirect_uris: [LOGOUT_URI] });
  await interceptClient(page);
  const email = uniqueEmail();
  await signUp(page, email, PASSWORD);
  const state = `ask-${unique()}`;
  await open(page, `/oauth2/end_session?${new URLSearchParams({ client_id: app.client_id, post_logout_redirect_uri: LOGOUT_URI, state })}`);
  await expect(page).toHaveURL(/\/signout\?/);
  await expect(page.getByRole("heading", { name: `Sign out of ${new URL(issuer()).host}?` })).toBeVisible();
  await expect(page.getByTestId("signout-app-name")).toHaveText(app.name);
  await expect(page.getByText(email)).toBeVisible();
  // Nothing has happened yet.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/account$/);

  await open(page, `/oauth2/end_session?${new URLSearchParams({ client_id: app.client_id, post_logout_redirect_uri: LOGOUT_URI, state })}`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${LOGOUT_URI}?state=${state}`);
  await expectSignedOut(page);
});

test("without a post-logout URI the confirmation ends on the signed-out page; Stay signed in keeps the session", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "first_party", redirect_uris: [CONFIDENTIAL_REDIRECT_URI] });
  await signUp(page, uniqueEmail(), PASSWORD);
  await page.goto(`/oauth2/end_session?client_id=${app.client_id}`);
  await page.getByRole("link", { name: "Stay signed in" }).click();
  await expect(page).toHaveURL(/\/account$/);

  await page.goto(`/oauth2/end_session?client_id=${app.client_id}`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signout\/done\?client_id=/);
  await expect(page.getByText("You are signed out")).toBeVisible();
  await expect(page.getByTestId("signed-out-app-name")).toHaveText(app.name);
  await expectSignedOut(page);
});

// Over HTTP: what must not sign anyone out, and the form POST of a same-site app.
test.describe("refusals", () => {
  let op: Provider;
  let app: TestApp;
  let session: HttpSession;
  let idToken: string;
  test.beforeEach(async ({ baseURL }) => {
    op = new Provider(baseURL);
    app = await op.createApp("first_party", { post_logout_redirect_uris: [LOGOUT_URI] });
    session = await op.signedIn();
    idToken = (await op.tokens(app, { scope: "openid", session })).id_token!;
    expect(idToken).toMatch(/^eyJ/);
  });

  async function stillSignedIn(): Promise<void> {
    expect(session.hasCookie("next-auth.session-token")).toBe(true);
    expect((await session.fetch("/account")).status).toBe(200);
  }

  async function expectErrorPage(response: Response, title: string): Promise<void> {
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).toContain(title);
  }

  test("an unregistered post_logout_redirect_uri gets the error page, and the user stays signed in", async () => {
    for (const uri of ["https://evil.example/logged-out", `${LOGOUT_URI}/x`, "https://rp.example/cb"]) {
      const response = await session.fetch(`/oauth2/end_session?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: uri, state: "s" })}`);
      await expectErrorPage(response, "Unregistered post-logout redirect URI");
    }
    await stillSignedIn();
  });

  test("a hint issued to another app than client_id, or not issued here, is refused", async () => {
    const other = await op.createApp("first_party", { post_logout_redirect_uris: [LOGOUT_URI] });
    const mismatched = new URLSearchParams({ id_token_hint: idToken, client_id: other.clientId, post_logout_redirect_uri: LOGOUT_URI });
    await expectErrorPage(await session.fetch(`/oauth2/end_session?${mismatched}`), "Sign-out request refused");
    const [header, payload] = idToken.split(".");
    const forged = `${header}.${payload}.${Buffer.from("not our signature").toString("base64url")}`;
    await expectErrorPage(await session.fetch(`/oauth2/end_session?${new URLSearchParams({ id_token_hint: forged })}`), "Sign-out request refused");
    await stillSignedIn();
  });

  test("a form POST with a verified hint signs out: 303 to the URI with state, the session cookie deleted", async () => {
    const response = await session.fetch("/oauth2/end_session", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id_token_hint: idToken, client_id: app.clientId, post_logout_redirect_uri: LOGOUT_URI, state: "p s" }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${LOGOUT_URI}?state=p+s`);
    expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^next-auth\.session-token=; Path=\/; Max-Age=0;/)]);
    expect(session.hasCookie("next-auth.session-token")).toBe(false);
    const account = await session.fetch("/account");
    expect(account.status).toBeGreaterThanOrEqual(300);
    expect(account.headers.get("location")).toMatch(/\/signin\?callbackUrl=%2Faccount$/);
  });
});
