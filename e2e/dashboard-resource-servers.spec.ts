import { expect, test } from "@playwright/test";
import { E2E_OWNER, signIn } from "./fixtures";

// The owner lists resource servers (e.g. MCP servers) on the settings page:
// one URI per line, each refused line explained, the list kept after a reload.

test("resource servers are edited one per line; a refused line says why; the list persists", async ({ page }) => {
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent("/dashboard/settings")}`);
  await expect(page).toHaveURL("/dashboard/settings");
  const field = page.getByRole("textbox", { name: "Resource servers", exact: true });
  const before = await field.inputValue();
  const save = page.getByRole("button", { name: "Save resource servers" });
  try {
    await field.fill([before, "https://mcp.dashboard.example/mcp", "http://plain.dashboard.example/mcp"].filter(Boolean).join("\n"));
    await save.click();
    await expect(page.getByRole("alert").filter({ hasText: "Some resource servers need fixing" })).toBeVisible();
    await expect(page.locator("#field-resource_servers-error")).toContainText("http://plain.dashboard.example/mcp must use https");

    await field.fill([before, "https://mcp.dashboard.example/mcp", "", "  https://api.dashboard.example  "].filter(Boolean).join("\n"));
    await save.click();
    await expect(page.getByText("Resource servers saved.")).toBeVisible();
    await page.reload();
    const saved = (await field.inputValue()).split("\n");
    expect(saved.slice(-2)).toEqual(["https://mcp.dashboard.example/mcp", "https://api.dashboard.example"]);
  } finally {
    await field.fill(before);
    await save.click();
    await expect(page.getByText("Resource servers saved.")).toBeVisible();
  }
});
