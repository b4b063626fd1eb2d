import { expect, test, type APIRequestContext } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { signUp, uniqueEmail } from "./fixtures";
import { apiKey, CONFIDENTIAL_REDIRECT_URI, createApp, signedInSession, type CreatedApp } from "./oauth/clients";
import { basic } from "./oauth/flows";
import { runAuthorization } from "./oauth/http-session";
import { END_USERS } from "./servers.mjs";

// Consent limited to the user's permissions (issue 5), against the running
// app: the owner defines a custom scope and a role over the management API;
// a user without the permission cannot grant the scope (consent page, token,
// introspection), and losing the permission narrows the next refresh.

const unique = () => randomBytes(4).toString("hex");

async function owner(request: APIRequestContext, method: string, path: string, data?: unknown) {
  const response = await request.fetch(`/api/v1${path}`, { method, headers: { authorization: `Bearer ${apiKey()}` }, data });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
  return response.status() === 204 ? null : response.json();
}

/** A custom scope needing one permission, a role carrying it, and a third-party app allowed to ask for the scope. */
async function setup(request: APIRequestContext) {
  const id = unique();
  const scope = `read:reports-${id}`;
  const role = `analyst-${id}`;
  await owner(request, "POST", "/scopes", { name: scope, description: "See your reports", permissions: [`reports.read.${id}`] });
  await owner(request, "POST", "/roles", { name: role, permissions: [`reports.read.${id}`] });
  const app = await createApp(request, { client_type: "third_party", allowed_scopes: ["openid", "offline_access", scope] });
  return { scope, role, app };
}

async function userId(request: APIRequestContext, email: string): Promise<string> {
  const list = await owner(request, "GET", `/users?q=${encodeURIComponent(email)}`);
  const found = list.data.find((u: { email: string }) => u.email === email);
  expect(found, email).toBeTruthy();
  return found.id;
}

function authorizeUrl(app: CreatedApp, scope: string) {
  return `/oauth2/authorize?${new URLSearchParams({ client_id: app.client_id, response_type: "code", redirect_uri: CONFIDENTIAL_REDIRECT_URI, scope, state: unique() })}`;
}

async function exchange(request: APIRequestContext, app: CreatedApp, code: string) {
  const response = await request.post("/oauth2/token", {
    headers: { authorization: basic(app.client_id, app.client_secret!) },
    form: { grant_type: "authorization_code", code, redirect_uri: CONFIDENTIAL_REDIRECT_URI },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token?: string; scope: string };
}

const introspectScope = async (request: APIRequestContext, token: string) => {
  const response = await request.post("/oauth2/introspect", { headers: { authorization: `Bearer ${apiKey()}` }, form: { token } });
  return ((await response.json()) as { scope?: string }).scope;
};

test("the consent page shows a scope the user cannot grant as such; the token and introspection leave it out", async ({ page, request }) => {
  const { scope, app } = await setup(request);
  await signUp(page, uniqueEmail(), "permissions-password");
  await page.route("https://rp.example/**", (route) => route.fulfill({ status: 200, body: "callback" }));
  await page.goto(authorizeUrl(app, `openid ${scope}`));
  await expect(page).toHaveURL(/\/consent\?request=/);
  await expect(page.getByTestId("consent-scopes")).toContainText("Sign you in with your account");
  await expect(page.getByTestId("consent-scopes")).not.toContainText("See your reports");
  await expect(page.getByTestId("consent-ungrantable")).toContainText("You don't have permission to: see your reports");
  await expect(page.getByTestId("consent-ungrantable")).toContainText(scope);
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(/^https:\/\/rp\.example\/cb\?/);
  const code = new URL(page.url()).searchParams.get("code")!;
  const tokens = await exchange(request, app, code);
  expect(tokens.scope).toBe("openid");
  expect(await introspectScope(request, tokens.access_token)).toBe("openid");
});

test("a user holding the permission grants the scope; losing it narrows the next refresh, regaining it restores it", async ({ request, baseURL }) => {
  const { scope, role, app } = await setup(request);
  const bob = END_USERS[1]!;
  const bobId = await userId(request, bob.email);
  await owner(request, "PUT", `/users/${bobId}/roles/${encodeURIComponent(role)}`);
  const session = await signedInSession(baseURL!, bob);
  const { callback, sawConsent } = await runAuthorization(session, authorizeUrl(app, `openid offline_access ${scope}`), "allow");
  expect(sawConsent).toBe(true);
  const tokens = await exchange(request, app, callback!.searchParams.get("code")!);
  expect(tokens.scope).toBe(`openid offline_access ${scope}`);
  expect(await introspectScope(request, tokens.access_token)).toBe(`openid offline_access ${scope}`);

  const refresh = async () => {
    const response = await request.post("/oauth2/token", {
      headers: { authorization: basic(app.client_id, app.client_secret!) },
      form: { grant_type: "refresh_token", refresh_token: tokens.refresh_token! },
    });
    expect(response.status()).toBe(200);
    return (await response.json()) as { access_token: string; scope: string };
  };
  await owner(request, "DELETE", `/users/${bobId}/roles/${encodeURIComponent(role)}`);
  const narrowed = await refresh();
  expect(narrowed.scope).toBe("openid offline_access");
  expect(await introspectScope(request, narrowed.access_token)).toBe("openid offline_access");
  await owner(request, "PUT", `/users/${bobId}/roles/${encodeURIComponent(role)}`);
  expect((await refresh()).scope).toBe(`openid offline_access ${scope}`);
});
