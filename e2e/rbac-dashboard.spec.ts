import { expect, test, type Locator, type Page } from "@playwright/test";
import { E2E_OWNER, signIn, signUp, uniqueEmail } from "./fixtures";
import { createApp } from "./oauth/clients";

// The owner's dashboard for custom scopes, roles and users' roles. Each test
// works on names it makes unique; what others could see (the default role)
// is put back.

let counter = 0;
const tag = () => `${Date.now().toString(36)}${counter++}`;

async function signInOwner(page: Page, path: string) {
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(path)}`);
  await expect(page).toHaveURL(path);
}

/** Fills the create form of the scopes or roles page and submits it. */
async function create(page: Page, values: { name: string; description: string; permissions: string }, button: string) {
  const form = page.getByRole("form", { name: button }); // "Create scope" / "Create role", as its button
  await form.getByLabel("Name", { exact: true }).fill(values.name);
  await form.getByLabel(/^Description/).fill(values.description);
  await form.getByLabel("Permissions", { exact: true }).fill(values.permissions);
  await form.getByRole("button", { name: button }).click();
  return form;
}

const row = (page: Page, testId: string, name: string): Locator => page.getByTestId(testId).filter({ hasText: name });

test("an owner defines a scope and a role, assigns the role, edits both, then deletes them", async ({ page, browser }, testInfo) => {
  const t = tag();
  const scope = `read:reports-${t}`;
  const role = `analyst ${t}`;

  // A user who signs up now gets the default role.
  const member = uniqueEmail();
  const context = await browser.newContext();
  await signUp(await context.newPage(), member, "member-password-1");
  await context.close();

  await signInOwner(page, "/dashboard/scopes");
  await expect(page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Scopes" })).toHaveAttribute("aria-current", "page");
  const scopeForm = await create(page, { name: scope, description: "See your reports", permissions: "reports.read, reports.read" }, "Create scope");
  await expect(scopeForm.getByRole("status")).toContainText(`Scope ${scope} created.`);
  await expect(scopeForm.getByLabel("Name", { exact: true })).toHaveValue("");
  const scopeRow = row(page, "scope-row", scope);
  await expect(scopeRow).toContainText("See your reports");
  await expect(scopeRow).toContainText("reports.read");

  // Edit the scope in place.
  await scopeRow.getByRole("button", { name: `Edit ${scope}` }).click();
  await scopeRow.getByLabel("Description").fill("See and export your reports");
  await scopeRow.getByLabel("Permissions").fill("reports.read reports.export");
  await scopeRow.getByRole("button", { name: "Save scope" }).click();
  await expect(scopeRow.getByRole("form")).toHaveCount(0);
  await expect(scopeRow).toContainText("See and export your reports");
  await expect(scopeRow).toContainText("reports.export");

  await page.goto("/dashboard/roles");
  const roleForm = await create(page, { name: role, description: "", permissions: "reports.read reports.export" }, "Create role");
  await expect(roleForm.getByRole("status")).toContainText(`Role ${role} created.`);
  const roleRow = row(page, "role-row", role);
  await expect(roleRow.getByTestId("role-user-count")).toHaveText("0 users");

  // Assign the role to the new user.
  await page.goto(`/dashboard/users?q=${encodeURIComponent(member)}`);
  const userRow = row(page, "user-row", member);
  await expect(userRow).toHaveCount(1);
  await expect(userRow.getByTestId("user-roles")).toHaveText("member×");
  await userRow.getByLabel("Assign a role").selectOption(role);
  await userRow.getByRole("button", { name: "Assign role" }).click();
  await expect(userRow.getByRole("button", { name: `Remove the role ${role} from ${member}` })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("users-desktop.png"), fullPage: true });
  await page.goto("/dashboard/roles");
  await expect(roleRow.getByTestId("role-user-count")).toHaveText("1 user");
  await page.screenshot({ path: testInfo.outputPath("roles-desktop.png"), fullPage: true });

  // Edit the role: permissions and description.
  await roleRow.getByRole("button", { name: `Edit ${role}` }).click();
  await roleRow.getByLabel("Permissions").fill("reports.read");
  await roleRow.getByLabel(/^Description/).fill("Reads reports");
  await roleRow.getByRole("button", { name: "Save role" }).click();
  await expect(roleRow).toContainText("Reads reports");
  await expect(roleRow).not.toContainText("reports.export");

  // Remove the role from the user again.
  await page.goto(`/dashboard/users?q=${encodeURIComponent(member)}`);
  await userRow.getByRole("button", { name: `Remove the role ${role} from ${member}` }).click();
  await expect(userRow.getByTestId("user-roles")).toHaveText("member×");

  // Delete the role and the scope, each after a confirmation.
  await page.goto("/dashboard/roles");
  await roleRow.getByRole("button", { name: "Delete" }).click();
  await expect(roleRow.getByRole("group", { name: `Delete the role ${role}?` })).toContainText("Nobody holds it.");
  await roleRow.getByRole("button", { name: "Yes, delete it" }).click();
  await expect(roleRow).toHaveCount(0);
  await page.goto("/dashboard/scopes");
  await scopeRow.getByRole("button", { name: "Delete" }).click();
  await scopeRow.getByRole("button", { name: "Yes, delete it" }).click();
  await expect(scopeRow).toHaveCount(0);

  await page.goto("/dashboard/audit");
  for (const action of ["scope.created", "scope.updated", "role.created", "role.assigned", "role.updated", "role.unassigned", "role.deleted", "scope.deleted"]) {
    await expect(page.getByTestId("audit-row").filter({ hasText: action }).first()).toBeVisible();
  }
});

test("invalid scopes and roles get a message next to each field, never an error page", async ({ page }) => {
  await signInOwner(page, "/dashboard/scopes");
  const form = await create(page, { name: "has space", description: " ", permissions: "ok not@ok" }, "Create scope");
  await expect(form.getByRole("alert")).toContainText("Some fields need fixing.");
  await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(form).toContainText("Name must be 1-100 letters, digits or : . _ / -, starting with a letter or digit");
  await expect(form).toContainText("Description is required");
  await expect(form).toContainText("“not@ok” must be 1-100 letters, digits or : . _ -");
  // What was typed stays.
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("has space");

  await form.getByLabel("Name", { exact: true }).fill("openid");
  await form.getByLabel(/^Description/).fill("Mine");
  await form.getByLabel("Permissions", { exact: true }).fill("");
  await form.getByRole("button", { name: "Create scope" }).click();
  await expect(form).toContainText("Name is a built-in scope");

  const taken = `dup:${tag()}`;
  await create(page, { name: taken, description: "Once", permissions: "" }, "Create scope");
  await expect(row(page, "scope-row", taken)).toHaveCount(1);
  await create(page, { name: taken, description: "Twice", permissions: "" }, "Create scope");
  await expect(form.getByRole("alert")).toContainText(`A scope named ${taken} already exists.`);
  await row(page, "scope-row", taken).getByRole("button", { name: "Delete" }).click();
  await row(page, "scope-row", taken).getByRole("button", { name: "Yes, delete it" }).click();
  await expect(row(page, "scope-row", taken)).toHaveCount(0);

  await page.goto("/dashboard/roles");
  const roleForm = await create(page, { name: "-leading dash", description: "", permissions: "a,b c" }, "Create role");
  await expect(roleForm.getByRole("alert")).toContainText("Some fields need fixing.");
  await expect(roleForm).toContainText("Name must be 1-64 letters, digits, spaces or . _ -, starting with a letter or digit");
  await expect(row(page, "role-row", "-leading dash")).toHaveCount(0);
});

test("the default role: marked in the list, chosen in a form, and refused deletion with the reason", async ({ page }) => {
  await signInOwner(page, "/dashboard/roles");
  const memberRow = row(page, "role-row", "member").filter({ has: page.getByText("member", { exact: true }) });
  await expect(memberRow).toContainText("Default for new users");
  await memberRow.getByRole("button", { name: "Delete" }).click();
  await memberRow.getByRole("button", { name: "Yes, delete it" }).click();
  await expect(memberRow.getByRole("alert")).toHaveText("This is the default role for new users: choose another default first.");
  await memberRow.getByRole("button", { name: "Go back" }).click();

  const role = `newcomer ${tag()}`;
  await create(page, { name: role, description: "", permissions: "" }, "Create role");
  const defaultForm = page.getByRole("form", { name: "Default role" });
  try {
    await defaultForm.getByLabel("Role for new users").selectOption(role);
    await defaultForm.getByRole("button", { name: "Save default role" }).click();
    await expect(defaultForm.getByRole("status")).toHaveText("Default role saved.");
    await expect(row(page, "role-row", role)).toContainText("Default for new users");
    await expect(memberRow).not.toContainText("Default for new users");
  } finally {
    await page.reload();
    await defaultForm.getByLabel("Role for new users").selectOption("member");
    await defaultForm.getByRole("button", { name: "Save default role" }).click();
    await expect(defaultForm.getByRole("status")).toHaveText("Default role saved.");
  }
  await expect(memberRow).toContainText("Default for new users");
  await row(page, "role-row", role).getByRole("button", { name: "Delete" }).click();
  await row(page, "role-row", role).getByRole("button", { name: "Yes, delete it" }).click();
  await expect(row(page, "role-row", role)).toHaveCount(0);
});

test("the app settings offer the defined custom scopes to pick", async ({ page, request }) => {
  const scope = `write:notes-${tag()}`;
  await signInOwner(page, "/dashboard/scopes");
  await create(page, { name: scope, description: "Change your notes", permissions: "notes.write" }, "Create scope");
  await expect(row(page, "scope-row", scope)).toHaveCount(1);
  const app = await createApp(request, { client_type: "third_party", allowed_scopes: ["openid"] });

  await page.goto(`/dashboard/apps/${app.client_id}`);
  const field = page.getByLabel("Allowed scopes", { exact: true });
  const picker = page.getByTestId("scope-picker");
  await expect(picker.getByRole("button", { name: "openid" })).toHaveAttribute("aria-pressed", "true");
  await expect(picker.getByRole("button", { name: "full_access" })).toHaveCount(0); // never for third-party apps
  await picker.getByRole("button", { name: scope }).click();
  await picker.getByRole("button", { name: "email" }).click();
  await expect(field).toHaveValue(`openid ${scope} email`);
  await picker.getByRole("button", { name: "openid" }).click();
  await expect(field).toHaveValue(`${scope} email`);
  await expect(picker.getByRole("button", { name: "openid" })).toHaveAttribute("aria-pressed", "false");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await page.reload();
  await expect(field).toHaveValue(`${scope} email`);
  await expect(picker.getByRole("button", { name: scope })).toHaveAttribute("aria-pressed", "true");
});

test("the scope, role and user pages fit a phone screen", async ({ page, request }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInOwner(page, "/dashboard/scopes");
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  const shot = async (name: string) => {
    expect(await width(), name).toBeLessThanOrEqual(390);
    await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  };

  const t = tag();
  const scope = `read:a-rather-long-scope-name/with-parts-${t}`;
  await create(page, { name: scope, description: "See a long list of things", permissions: "things.read.everything-in-the-long-list" }, "Create scope");
  await expect(row(page, "scope-row", scope)).toHaveCount(1);
  await shot("scopes");
  await row(page, "scope-row", scope).getByRole("button", { name: `Edit ${scope}` }).click();
  await shot("scopes-edit");

  await page.goto("/dashboard/roles");
  const role = `Reporting analysts with a long name ${t}`;
  await create(page, { name: role, description: "", permissions: "things.read.everything-in-the-long-list" }, "Create role");
  await expect(row(page, "role-row", role)).toHaveCount(1);
  await row(page, "role-row", role).getByRole("button", { name: "Delete" }).click();
  await shot("roles");

  await page.goto(`/dashboard/users?q=${encodeURIComponent("e2e.test")}`);
  await expect(page.getByTestId("user-row").first()).toBeVisible();
  const first = page.getByTestId("user-row").first();
  const fits = async (locator: Locator) => {
    const box = await locator.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  };
  await first.getByLabel("Assign a role").selectOption(role);
  await fits(first.getByRole("button", { name: "Assign role" }));
  await first.getByRole("button", { name: "Assign role" }).click();
  const remove = first.getByRole("button", { name: `Remove the role ${role} from`, exact: false });
  await expect(remove).toBeVisible();
  await fits(remove);
  await shot("users");

  const app = await createApp(request, { client_type: "first_party", allowed_scopes: ["openid", scope] });
  await page.goto(`/dashboard/apps/${app.client_id}`);
  await page.getByTestId("scope-picker").scrollIntoViewIfNeeded();
  await expect(page.getByTestId("scope-picker").getByRole("button", { name: scope })).toHaveAttribute("aria-pressed", "true");
  expect(await width()).toBeLessThanOrEqual(390);
  await page.getByTestId("scope-picker").screenshot({ path: testInfo.outputPath("app-scope-picker.png") });

  // Clean up: the role (and with it the assignment), then the scope.
  await page.goto("/dashboard/roles");
  await row(page, "role-row", role).getByRole("button", { name: "Delete" }).click();
  await row(page, "role-row", role).getByRole("button", { name: "Yes, delete it" }).click();
  await expect(row(page, "role-row", role)).toHaveCount(0);
  await page.goto("/dashboard/scopes");
  await row(page, "scope-row", scope).getByRole("button", { name: "Delete" }).click();
  await row(page, "scope-row", scope).getByRole("button", { name: "Yes, delete it" }).click();
  await expect(row(page, "scope-row", scope)).toHaveCount(0);
});
