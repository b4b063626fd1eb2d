import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { E2E_OWNER, signIn, signUp, uniqueEmail } from "./fixtures";
import { apiKey, CONFIDENTIAL_REDIRECT_URI, createApp } from "./oauth/clients";

// Issue 17, "Accessibility": axe-core finds no serious or critical violation
// (WCAG 2.x A and AA rules) on the main pages, signed out, as an end user and
// as the owner, in the light and the dark colour scheme.

async function expectAccessible(page: Page, label: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join("\n  ")}`);
  // Soft: one run reports every page's violations, not only the first page's.
  expect.soft(serious, `${label}: ${page.url()}`).toEqual([]);
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} scheme`, () => {
    test.use({ colorScheme });

    test("the pages anyone sees: home, sign-in, sign-up, forgot and reset password, setup, signed out, an authorization error", async ({ page }) => {
      const unregistered = new URLSearchParams({ client_id: "ca_unknown", redirect_uri: "https://evil.example/cb", response_type: "code", scope: "openid" });
      for (const path of ["/", "/signin", "/signup", "/forgot-password", "/reset-password?token=not-a-real-token", "/setup?token=not-a-real-token", "/signout/done", `/oauth2/authorize?${unregistered}`]) {
        await page.goto(path);
        await expectAccessible(page, path);
      }
    });

    test("an end user's consent page and account page", async ({ page, request }) => {
      const app = await createApp(request, { client_type: "third_party", redirect_uris: [CONFIDENTIAL_REDIRECT_URI] });
      await signUp(page, uniqueEmail(), "correct horse battery");
      await page.goto("/account");
      await expectAccessible(page, "account");
      const query = new URLSearchParams({ response_type: "code", client_id: app.client_id, redirect_uri: CONFIDENTIAL_REDIRECT_URI, scope: "openid profile email", state: "a11y" });
      await page.goto(`/oauth2/authorize?${query}`);
      await expect(page).toHaveURL(/\/consent/);
      await expectAccessible(page, "consent");
    });

    test("the owner's dashboard pages", async ({ page, request }) => {
      test.slow(); // a dozen pages, each analysed
      const app = await createApp(request, { client_type: "first_party_public" });
      const machine = await request.post("/api/v1/machine-clients", { headers: { authorization: `Bearer ${apiKey()}` }, data: { name: "a11y machine client" } });
      expect(machine.status()).toBe(201);
      const connections = await request.get("/api/v1/connections", { headers: { authorization: `Bearer ${apiKey()}` } });
      const slug = ((await connections.json()) as { data: { slug: string }[] }).data[0]?.slug;
      await signIn(page, E2E_OWNER.email, E2E_OWNER.password, "/signin?callbackUrl=%2Fdashboard");
      await expect(page).toHaveURL(/\/dashboard$/);
      const paths = [
        "/dashboard",
        "/dashboard?activity=30d",
        "/dashboard/apps",
        "/dashboard/apps/new",
        `/dashboard/apps/${app.client_id}`,
        `/dashboard/apps/${app.client_id}?activity=7d`,
        "/dashboard/machine-clients",
        "/dashboard/machine-clients/new",
        `/dashboard/machine-clients/${((await machine.json()) as { client_id: string }).client_id}`,
        "/dashboard/connections/new",
        ...(slug ? [`/dashboard/connections/${slug}`] : []),
        "/dashboard/connections",
        "/dashboard/scopes",
        "/dashboard/roles",
        "/dashboard/users",
        "/dashboard/api-keys",
        "/dashboard/audit",
        // Filtered, and with a filter the form refuses (its messages).
        "/dashboard/audit?action=user.signed_in&from=2000-01-01",
        "/dashboard/audit?from=2026-02-30",
        "/dashboard/settings",
        "/playground/callback",
      ];
      for (const path of paths) {
        await page.goto(path);
        await expectAccessible(page, path);
      }
    });

    test("the playground's result page", async ({ page, request, baseURL }) => {
      // A public app with the playground's callback registered, skipping consent: Try sign-in lands on the results.
      const app = await createApp(request, {
        client_type: "first_party_public",
        redirect_uris: [`${baseURL}/playground/callback`],
        skip_consent: true,
        bypass_consent_for_offline_access: true,
        allowed_scopes: ["openid", "profile", "email", "offline_access"],
      });
      await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(`/dashboard/apps/${app.client_id}`)}`);
      await page.getByTestId("playground-panel").getByRole("button", { name: "Try sign-in" }).click();
      await expect(page.getByTestId("check-signature")).toBeVisible();
      await expectAccessible(page, "playground result");
    });
  });
}
