import { expect, test, type Page } from "@playwright/test";
import { E2E_OWNER, signIn } from "./fixtures";

// The owner's dashboard for Connected Apps. Each test signs in and works on
// apps it creates itself (unique names), so tests are independent of each
// other and of other suites sharing the server.

let counter = 0;
const uniqueName = (prefix: string) => `${prefix} ${Date.now().toString(36)}-${counter++}`;

const TYPES = {
  firstConfidential: "First-party, confidential",
  firstPublic: "First-party, public",
  thirdConfidential: "Third-party, confidential",
  thirdPublic: "Third-party, public",
} as const;

async function signInOwner(page: Page, path = "/dashboard") {
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(path)}`);
  await expect(page).toHaveURL(path);
}

/** Fills and submits the create form; stops on the secret view (confidential) or the app page (public). */
async function submitNewApp(page: Page, type: string, name: string, redirectUris: string[]) {
  await page.goto("/dashboard/apps/new");
  await page.getByRole("radio", { name: type, exact: true }).check();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Redirect URIs", { exact: true }).fill(redirectUris.join("\n"));
  await page.getByRole("button", { name: "Create app" }).click();
}

/** Creates a confidential app and leaves the secret view; returns its client_id and secret. */
async function createConfidentialApp(page: Page, name: string, type: string = TYPES.firstConfidential) {
  await submitNewApp(page, type, name, ["https://app.example.com/callback"]);
  const secret = (await page.getByTestId("secret-value").textContent())!;
  const clientId = (await page.getByTestId("one-time-secret").locator("code").first().textContent())!;
  await page.getByRole("button", { name: /I have saved it/ }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/apps/${clientId}`));
  return { clientId, secret };
}

async function expectSecretGone(page: Page, ...secrets: string[]) {
  await expect(page.getByTestId("secret-value")).toHaveCount(0);
  const html = await page.content();
  for (const secret of secrets) expect(html).not.toContain(secret);
}

test.beforeEach(async ({ page }) => {
  await signInOwner(page);
});

test("the owner creates one app of each type; confidential secrets are shown once, public apps have none", async ({ page }) => {
  test.slow(); // four apps through the UI, each form filled and submitted: past 30 s on a busy 2-core machine
  await page.goto("/dashboard/apps/new");
  await expect(page.getByRole("radio", { name: TYPES.firstConfidential, exact: true })).toBeChecked();
  for (const title of Object.values(TYPES)) {
    await expect(page.getByRole("radio", { name: title, exact: true })).toBeVisible();
  }

  const cases = [
    { type: TYPES.firstConfidential, confidential: true, firstParty: true, uris: ["https://first.example.com/cb"] },
    { type: TYPES.firstPublic, confidential: false, firstParty: true, uris: ["http://127.0.0.1/cb", "com.example.app:/cb"] },
    { type: TYPES.thirdConfidential, confidential: true, firstParty: false, uris: ["https://third.example.com/cb"] },
    { type: TYPES.thirdPublic, confidential: false, firstParty: false, uris: ["http://localhost/cb"] },
  ];
  for (const c of cases) {
    const name = uniqueName(c.type);
    await submitNewApp(page, c.type, name, c.uris);
    if (c.confidential) {
      const panel = page.getByTestId("one-time-secret");
      await expect(panel).toContainText("You will not see this client secret again");
      const secret = (await page.getByTestId("secret-value").textContent())!;
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const clientId = (await panel.locator("code").first().textContent())!;
      expect(clientId).toMatch(/^ca_/);
      await expect(page.getByRole("button", { name: "Copy client secret" })).toBeVisible();

      await page.getByRole("button", { name: /I have saved it/ }).click();
      await expect(page).toHaveURL(new RegExp(`/dashboard/apps/${clientId}`));
      await expect(page.getByTestId("current-secret-last4")).toHaveText(`…${secret.slice(-4)}`);
      await expectSecretGone(page, secret);
      await page.reload();
      await expect(page.getByTestId("client-id")).toHaveText(clientId);
      await expectSecretGone(page, secret);
      await page.goBack();
      await expectSecretGone(page, secret);
      await page.goForward();
      await expectSecretGone(page, secret);
    } else {
      await expect(page).toHaveURL(/\/dashboard\/apps\/ca_[^/?]+\?created=1$/);
      await expect(page.getByTestId("no-secret")).toContainText("no client secret");
      await expect(page.getByTestId("no-secret")).toContainText("PKCE");
      await expect(page.getByTestId("secret-value")).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Rotate secret" })).toHaveCount(0);
    }
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    // A new app has not been used: public apps never authenticate, so theirs is the last token request.
    await expect(page.getByTestId("last-authenticated")).toContainText(c.confidential ? "Last authenticated" : "Last token request");
    await expect(page.getByTestId("last-authenticated")).toContainText("Never");
    await expect(page.getByTestId("app-type")).toContainText(c.type);
    await expect(page.getByLabel("Redirect URIs", { exact: true })).toHaveValue(c.uris.join("\n"));
    // The policy table decides which settings show: only first-party apps may skip consent or get full_access.
    await expect(page.getByLabel("Skip the consent screen")).toHaveCount(c.firstParty ? 1 : 0);
    await expect(page.getByLabel("Allow full_access")).toHaveCount(c.firstParty ? 1 : 0);

    await page.goto(`/dashboard/apps?q=${encodeURIComponent(name)}`);
    const row = page.getByTestId("app-row").filter({ hasText: name });
    await expect(row).toContainText(c.type);
    await expect(row).toContainText("Dashboard");
  }
});

test("a secret on the one-time view is gone after a reload, and after Back and Forward", async ({ page }) => {
  await page.goto("/dashboard/apps");
  await submitNewApp(page, TYPES.thirdConfidential, uniqueName("Reload"), ["https://reload.example.com/cb"]);
  const secret = (await page.getByTestId("secret-value").textContent())!;
  await page.reload();
  await expect(page.getByRole("button", { name: "Create app" })).toBeVisible();
  await expectSecretGone(page, secret);

  await submitNewApp(page, TYPES.firstConfidential, uniqueName("Back"), ["https://back.example.com/cb"]);
  const second = (await page.getByTestId("secret-value").textContent())!;
  await page.goBack();
  await expectSecretGone(page, second);
  await page.goForward();
  await expect(page.getByRole("button", { name: "Create app" })).toBeVisible();
  await expectSecretGone(page, second);
});

test("dashboard pages are sent with Cache-Control: no-store", async ({ page }) => {
  for (const path of ["/dashboard/apps/new", "/dashboard/apps", "/dashboard/api-keys"]) {
    const response = await page.goto(path);
    expect(response!.headers()["cache-control"], path).toContain("no-store");
  }
});

test("rotating a secret: start then complete, start then cancel", async ({ page }) => {
  const { secret: original } = await createConfidentialApp(page, uniqueName("Rotate"));
  const current = page.getByTestId("current-secret-last4");
  const next = page.getByTestId("next-secret-last4");
  await expect(current).toHaveText(`…${original.slice(-4)}`);
  await expect(next).toHaveCount(0);

  // Start (with a confirmation step), see the new secret once.
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByRole("heading", { name: "Start a secret rotation?" })).toBeVisible();
  await page.getByRole("button", { name: "Create a new secret" }).click();
  const rotated = (await page.getByTestId("secret-value").textContent())!;
  expect(rotated).not.toBe(original);
  await page.getByRole("button", { name: /I have saved it/ }).click();
  await expect(next).toHaveText(`…${rotated.slice(-4)}`);
  await expect(current).toHaveText(`…${original.slice(-4)}`);
  await expectSecretGone(page, original, rotated);

  // Complete: the confirmation says the old secret stops working.
  await page.getByRole("button", { name: "Complete rotation" }).click();
  await expect(page.getByRole("group", { name: "Complete the rotation?" })).toContainText("stops working immediately");
  await page.getByRole("button", { name: "Yes, complete rotation" }).click();
  await expect(current).toHaveText(`…${rotated.slice(-4)}`);
  await expect(next).toHaveCount(0);

  // Start again, then cancel: the current secret stays.
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("button", { name: "Create a new secret" }).click();
  const discarded = (await page.getByTestId("secret-value").textContent())!;
  await page.getByRole("button", { name: /I have saved it/ }).click();
  await expect(next).toHaveText(`…${discarded.slice(-4)}`);
  await page.getByRole("button", { name: "Cancel rotation" }).click();
  await page.getByRole("button", { name: "Yes, cancel rotation" }).click();
  await expect(next).toHaveCount(0);
  await expect(current).toHaveText(`…${rotated.slice(-4)}`);

  await page.reload();
  await expect(current).toHaveText(`…${rotated.slice(-4)}`);
  await expectSecretGone(page, original, rotated, discarded);
});

test("editing redirect URIs: a bad one is refused with a message naming it, a good one is saved", async ({ page }) => {
  const name = uniqueName("Edit");
  await createConfidentialApp(page, name, TYPES.thirdConfidential);
  const uris = page.getByLabel("Redirect URIs", { exact: true });
  await expect(uris).toHaveValue("https://app.example.com/callback");

  await uris.fill("https://app.example.com/callback\nhttp://evil.example.com/cb");
  await page.getByRole("button", { name: "Save settings" }).click();
  const uriErrors = page.locator("#field-redirect_uris-error");
  await expect(uriErrors).toContainText("http://evil.example.com/cb must use https");
  await expect(uris).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: "Some settings need fixing" })).toBeVisible();
  await page.reload();
  await expect(uris).toHaveValue("https://app.example.com/callback");

  await uris.fill("https://app.example.com/callback\nhttps://app.example.com/other");
  await page.getByLabel("Access token lifetime (seconds)").fill("900");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await expect(uriErrors).toHaveCount(0);
  await page.reload();
  await expect(uris).toHaveValue("https://app.example.com/callback\nhttps://app.example.com/other");
  await expect(page.getByLabel("Access token lifetime (seconds)")).toHaveValue("900");
  // The type is shown, never editable.
  await expect(page.getByTestId("app-type")).toContainText(TYPES.thirdConfidential);
  await expect(page.getByRole("radio")).toHaveCount(0);
});

test("deleting an app takes typing its name; it is then gone from the list", async ({ page }) => {
  const name = uniqueName("Delete");
  const { clientId } = await createConfidentialApp(page, name);
  await page.getByRole("button", { name: "Delete app" }).click();
  const confirm = page.getByRole("button", { name: "Delete this app permanently" });
  await expect(confirm).toBeDisabled();
  await page.getByLabel(`Type ${name} to confirm`).fill("not the name");
  await expect(confirm).toBeDisabled();
  await page.getByLabel(`Type ${name} to confirm`).fill(name);
  await confirm.click();
  await expect(page).toHaveURL(/\/dashboard\/apps\?notice=deleted$/);
  await expect(page.getByText("The app was deleted.")).toBeVisible();
  await expect(page.getByTestId("app-row").filter({ hasText: clientId })).toHaveCount(0);

  await page.getByLabel("Search apps").fill(name);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByText("No app matches this search.")).toBeVisible();
  const response = await page.goto(`/dashboard/apps/${clientId}`);
  expect(response!.status()).toBe(404);
});

test("the app list searches by name and pages with a cursor; the audit log pages too", async ({ page }) => {
  const prefix = uniqueName("Paging");
  for (const suffix of ["a", "b"]) {
    await submitNewApp(page, TYPES.firstPublic, `${prefix} ${suffix}`, []);
    await expect(page).toHaveURL(/\?created=1$/);
  }
  await page.goto("/dashboard/apps?per_page=1");
  await page.getByLabel("Search apps").fill(prefix);
  await page.getByRole("button", { name: "Search" }).click();
  const rows = page.getByTestId("app-row");
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`${prefix} a`);
  await page.getByRole("link", { name: "Next page →" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`${prefix} b`);
  await expect(page.getByLabel("Search apps")).toHaveValue(prefix);
  await expect(page.getByRole("link", { name: "Next page →" })).toHaveCount(0);
  await page.getByRole("link", { name: "← First page" }).click();
  await expect(rows).toContainText(`${prefix} a`);

  // Newest first: the second app's creation, then the first one's.
  await page.goto("/dashboard/audit?per_page=1");
  const events = page.getByTestId("audit-row");
  await expect(events).toHaveCount(1);
  await expect(events).toContainText(`${prefix} b`);
  await page.getByRole("link", { name: "Older events →" }).click();
  await expect(events).toContainText(`${prefix} a`);
});

test("a project setting toggled in the dashboard persists after a reload", async ({ page }) => {
  await page.goto("/dashboard/settings");
  const dcr = page.getByRole("switch", { name: "Dynamic Client Registration" });
  const before = await dcr.isChecked();
  await dcr.setChecked(!before);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await page.reload();
  await expect(dcr).toBeChecked({ checked: !before });
  await expect(page.getByRole("switch", { name: "Client ID Metadata Documents" })).toBeVisible();

  await dcr.setChecked(before);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await page.reload();
  await expect(dcr).toBeChecked({ checked: before });
});

test("an API key is shown once at creation and can be revoked after confirming", async ({ page }) => {
  await page.goto("/dashboard/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(page.locator("#field-name-error")).toHaveText("Key name is required");

  const name = uniqueName("CI key");
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(page.getByTestId("one-time-secret")).toContainText("You will not see this API key again");
  const key = (await page.getByTestId("secret-value").textContent())!;
  expect(key).toMatch(/^ca_key_/);
  await page.getByRole("button", { name: /I have saved it/ }).click();
  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText(`…${key.slice(-4)}`);
  await expect(row).toContainText("Active");
  await expectSecretGone(page, key);
  await page.reload();
  await expectSecretGone(page, key);

  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row.getByRole("group", { name: `Revoke the key “${name}”?` })).toBeVisible();
  await row.getByRole("button", { name: "Yes, revoke it" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);

  await page.goto("/dashboard/audit");
  await expectSecretGone(page, key);
  await expect(page.getByTestId("audit-row").filter({ hasText: "api_key.revoked" }).first()).toContainText(E2E_OWNER.email);
});

test("the audit log lists create, rotate and delete by the owner and never a secret", async ({ page }) => {
  const name = uniqueName("Audited");
  const { clientId, secret } = await createConfidentialApp(page, name);
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("button", { name: "Create a new secret" }).click();
  const rotated = (await page.getByTestId("secret-value").textContent())!;
  await page.getByRole("button", { name: /I have saved it/ }).click();
  await page.getByRole("button", { name: "Complete rotation" }).click();
  await page.getByRole("button", { name: "Yes, complete rotation" }).click();
  await expect(page.getByTestId("next-secret-last4")).toHaveCount(0);
  await page.getByRole("button", { name: "Delete app" }).click();
  await page.getByLabel(`Type ${name} to confirm`).fill(name);
  await page.getByRole("button", { name: "Delete this app permanently" }).click();
  await expect(page).toHaveURL(/notice=deleted/);

  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/dashboard\/audit$/);
  await expect(page.getByRole("link", { name: "Audit log" })).toHaveAttribute("aria-current", "page");
  const rows = page.getByTestId("audit-row").filter({ hasText: clientId });
  const actions = [
    "connected_app.deleted",
    "connected_app.secret_rotation_completed",
    "connected_app.secret_rotation_started",
    "connected_app.created",
  ];
  await expect(rows).toHaveCount(actions.length);
  for (const [i, action] of actions.entries()) {
    // Newest first.
    await expect(rows.nth(i)).toContainText(action);
    await expect(rows.nth(i)).toContainText(E2E_OWNER.email);
  }
  await expect(rows.nth(3)).toContainText(name);
  await expectSecretGone(page, secret, rotated);
  expect(await page.locator("body").innerText()).not.toContain(secret);
});

test("the create flow and the secret view fit a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/dashboard/apps/new");
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  expect(await width()).toBeLessThanOrEqual(390);
  await page.getByLabel("Name", { exact: true }).fill(uniqueName("Phone"));
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByTestId("secret-value")).toBeVisible();
  expect(await width()).toBeLessThanOrEqual(390);
  const box = await page.getByRole("button", { name: /I have saved it/ }).boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
});
