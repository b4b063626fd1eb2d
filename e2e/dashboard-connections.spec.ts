import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { E2E_OWNER, signIn, uniqueEmail } from "./fixtures";
import { apiKey } from "./oauth/clients";
import { PG_PORT, PG_SCHEMA, PG_TEST_URL } from "./servers.mjs";

// Sign-in connections (issue 15), the owner's and the user's surfaces: the
// owner adds, edits and deletes an OpenID Connect connection in the dashboard
// and turns email-and-password sign-in off and on; an end user sees and
// unlinks an identity on /account. The upstream flow that creates identities
// is tested with the sign-in pages; here the identity row is seeded in the
// database, which only the PostgreSQL server lets a test reach.

/** The management API of the server at `origin`, with `key`. */
async function api(origin: string, key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${origin}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

const passwordSwitch = (page: Page) => page.getByRole("switch", { name: "Email and password sign-in" });

test("add an OpenID Connect connection, see its redirect URI, edit it, switch password sign-in off and on, delete it", async ({ page, baseURL }) => {
  const slug = `corp-${Date.now().toString(36)}`;
  const secret = `upstream-secret-${randomUUID()}`;
  // The server may have project-level connections of its own (e2e/connections/seed.ts): off for this test, so that the rule shows.
  const others = ((await api(baseURL!, apiKey(), "GET", "/connections")).body.data as { slug: string; level: string; enabled: boolean }[])
    .filter((c) => c.level === "project" && c.enabled)
    .map((c) => c.slug);
  for (const other of others) expect((await api(baseURL!, apiKey(), "PATCH", `/connections/${other}`, { enabled: false })).status).toBe(200);
  try {
    await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent("/dashboard/connections")}`);
    await expect(page).toHaveURL("/dashboard/connections");
    await expect(page.getByRole("link", { name: "Connections" })).toHaveAttribute("aria-current", "page");

    // No project-level connection: the switch stays on and says why.
    await expect(passwordSwitch(page)).toHaveAttribute("aria-checked", "true");
    await passwordSwitch(page).click();
    await expect(page.getByRole("alert").filter({ hasText: "can be turned off only while an enabled project-level connection exists" })).toBeVisible();
    await expect(passwordSwitch(page)).toHaveAttribute("aria-checked", "true");

    await page.getByRole("link", { name: "Add connection" }).click();
    await expect(page.getByRole("radio", { name: "OpenID Connect" })).toBeChecked();
    // A preset has no issuer field; generic OpenID Connect has one.
    await page.getByRole("radio", { name: "Google" }).check();
    await expect(page.getByRole("textbox", { name: "Issuer URL" })).toHaveCount(0);
    await expect(page.getByRole("textbox", { name: "Name", exact: true })).toHaveValue("Google");
    await page.getByRole("radio", { name: "OpenID Connect" }).check();

    // Bad input: messages on the fields, nothing created.
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Corporate SSO");
    await page.getByRole("textbox", { name: "Slug" }).fill("Not A Slug");
    await page.getByRole("textbox", { name: "Issuer URL" }).fill("http://idp.example.com");
    await page.getByRole("textbox", { name: "Client ID" }).fill("corp-client");
    await page.getByLabel("Client secret").fill(secret);
    await page.getByRole("button", { name: "Add connection" }).click();
    await expect(page.getByRole("textbox", { name: "Slug" })).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Must be an https URL without query or fragment", { exact: false })).toBeVisible();

    await page.getByRole("textbox", { name: "Slug" }).fill(slug);
    await page.getByRole("textbox", { name: "Issuer URL" }).fill("https://idp.example.com");
    await page.getByRole("button", { name: "Add connection" }).click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/connections/${slug}\\?created=1$`));
    await expect(page.getByText("Connection added.")).toBeVisible();
    await expect(page.getByTestId("redirect-uri")).toHaveText(`${baseURL}/signin/connections/${slug}/callback`);
    expect(await page.content()).not.toContain(secret);

    // Edit: a blank secret keeps it; the new name shows.
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Corp SSO");
    await page.getByRole("textbox", { name: "Allowed email domains (optional)" }).fill("corp.example");
    await page.getByRole("button", { name: "Save connection" }).click();
    await expect(page.getByText("Connection saved.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Corp SSO" })).toBeVisible();
    const stored = await api(baseURL!, apiKey(), "GET", `/connections/${slug}`);
    expect(stored.body).toMatchObject({ name: "Corp SSO", allowed_email_domains: ["corp.example"], client_id: "corp-client" });

    // Now password sign-in may go off, and this connection cannot then be deleted.
    await page.getByRole("link", { name: "All connections" }).click();
    await expect(page.getByTestId("connection-list")).toContainText("Corp SSO");
    await passwordSwitch(page).click();
    try {
      await expect(passwordSwitch(page)).toHaveAttribute("aria-checked", "false");
      await page.getByRole("link", { name: "Corp SSO" }).click();
      await page.getByRole("button", { name: "Delete connection" }).click();
      await page.getByLabel("Type Corp SSO to confirm").fill("Corp SSO");
      await page.getByRole("button", { name: "Delete this connection permanently" }).click();
      await expect(page.getByRole("alert").filter({ hasText: "turn email and password sign-in back on first" })).toBeVisible();
      await page.getByRole("link", { name: "All connections" }).click();
      await passwordSwitch(page).click();
      await expect(passwordSwitch(page)).toHaveAttribute("aria-checked", "true");
    } finally {
      const settings = await api(baseURL!, apiKey(), "PATCH", "/settings", { password_signin_enabled: true });
      expect(settings.status).toBe(200);
    }

    await page.getByRole("link", { name: "Corp SSO" }).click();
    await page.getByRole("button", { name: "Delete connection" }).click();
    const confirm = page.getByRole("button", { name: "Delete this connection permanently" });
    await expect(confirm).toBeDisabled();
    await page.getByLabel("Type Corp SSO to confirm").fill("Corp SSO");
    await confirm.click();
    await expect(page).toHaveURL("/dashboard/connections?notice=deleted");
    await expect(page.getByText("The connection was deleted.")).toBeVisible();
    await expect(page.getByTestId("connection-list")).not.toContainText("Corp SSO");
  } finally {
    await api(baseURL!, apiKey(), "PATCH", "/settings", { password_signin_enabled: true });
    for (const other of others) await api(baseURL!, apiKey(), "PATCH", `/connections/${other}`, { enabled: true });
  }
});

test("an app-level connection: the picker lists first-party apps only, and the app's page shows the connection", async ({ page, baseURL }) => {
  const tag = Date.now().toString(36);
  const app = async (client_type: string, name: string) =>
    (await api(baseURL!, apiKey(), "POST", "/connected-apps", { client_type, name, redirect_uris: ["https://rp.example/cb"] })).body.client_id as string;
  const first = await app("first_party", `Staff portal ${tag}`);
  const third = await app("third_party", `Partner tool ${tag}`);
  const slug = `gh-${tag}`;
  try {
    await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent("/dashboard/connections/new")}`);
    await page.getByRole("radio", { name: "GitHub" }).check();
    await page.getByRole("textbox", { name: "Slug" }).fill(slug);
    await page.getByRole("textbox", { name: "Client ID" }).fill("gh-client");
    await page.getByLabel("Client secret").fill("gh-secret");
    await expect(page.getByRole("textbox", { name: "Scopes" })).toHaveValue("read:user user:email");
    await page.getByRole("radio", { name: /Only the first-party apps I choose/ }).check();
    const picker = page.getByRole("group", { name: "First-party apps" });
    await expect(picker.getByRole("checkbox", { name: `Staff portal ${tag}` })).toBeVisible();
    await expect(picker.getByRole("checkbox", { name: `Partner tool ${tag}` })).toHaveCount(0);
    await picker.getByRole("checkbox", { name: `Staff portal ${tag}` }).check();
    await page.getByRole("button", { name: "Add connection" }).click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/connections/${slug}\\?created=1$`));
    expect((await api(baseURL!, apiKey(), "GET", `/connections/${slug}`)).body).toMatchObject({ kind: "github", level: "app", apps: [first], issuer: null });

    await page.goto(`/dashboard/apps/${first}`);
    await expect(page.getByTestId("app-sign-in-methods")).toContainText("GitHub");
    await page.goto(`/dashboard/apps/${third}`);
    await expect(page.getByTestId("app-sign-in-methods")).not.toContainText("GitHub");
    await expect(page.getByTestId("app-sign-in-methods")).toContainText("Email and password");
  } finally {
    await api(baseURL!, apiKey(), "DELETE", `/connections/${slug}`);
    for (const clientId of [first, third]) await api(baseURL!, apiKey(), "DELETE", `/connected-apps/${clientId}`);
  }
});

test("an end user sees a linked identity on /account and unlinks it; the last way to sign in is refused", async ({ browser }) => {
  test.skip(!PG_TEST_URL, "TEST_DATABASE_URL is not set: the identity is seeded in the PostgreSQL server's database (CI sets it)");
  const origin = `http://localhost:${PG_PORT}`;
  const key = apiKey("postgres");
  const slug = `acme-${Date.now().toString(36)}`;
  const created = await api(origin, key, "POST", "/connections", { slug, kind: "oidc", name: "Acme SSO", issuer: "https://acme.example", client_id: "c", client_secret: "s" });
  expect(created.status).toBe(201);
  const db = new pg.Client({ connectionString: PG_TEST_URL });
  await db.connect();
  const context = await browser.newContext({ baseURL: origin });
  try {
    const page = await context.newPage();
    const email = uniqueEmail();
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("end-user-password-e2e");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByText("No account at another provider is linked to yours.")).toBeVisible();

    await db.query(
      `INSERT INTO "${PG_SCHEMA}".user_identities (id, user_id, connection_id, subject, email)
       SELECT gen_random_uuid(), u.id, c.id, $3, $4 FROM "${PG_SCHEMA}".users u, "${PG_SCHEMA}".connections c WHERE u.email = $1 AND c.slug = $2`,
      [email, slug, randomUUID(), "someone@acme.example"],
    );
    await page.reload();
    const identity = page.getByTestId("linked-identity");
    await expect(identity).toHaveCount(1);
    await expect(identity).toContainText("Acme SSO");
    await expect(identity).toContainText("someone@acme.example");

    // The owner's Users page names the connection.
    const owner = await context.browser()!.newContext({ baseURL: origin });
    const ownerPage = await owner.newPage();
    await signIn(ownerPage, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(`/dashboard/users?q=${email}`)}`);
    await expect(ownerPage.getByTestId("user-row").filter({ hasText: email }).getByTestId("user-connections")).toHaveText("Linked: Acme SSO");
    await owner.close();

    // With password sign-in off, the identity is this user's last way to sign in.
    expect((await api(origin, key, "PATCH", "/settings", { password_signin_enabled: false })).status).toBe(200);
    try {
      await identity.getByRole("button", { name: "Unlink" }).click();
      await identity.getByRole("button", { name: "Yes, unlink" }).click();
      await expect(identity.getByRole("alert")).toContainText("This is your last way to sign in");
    } finally {
      expect((await api(origin, key, "PATCH", "/settings", { password_signin_enabled: true })).status).toBe(200);
    }
    await identity.getByRole("button", { name: "Yes, unlink" }).click();
    await expect(page.getByTestId("linked-identity")).toHaveCount(0);
    await expect(page.getByText("No account at another provider is linked to yours.")).toBeVisible();
  } finally {
    await context.close();
    await db.end();
    await api(origin, key, "PATCH", "/settings", { password_signin_enabled: true });
    await api(origin, key, "DELETE", `/connections/${slug}`);
  }
});
