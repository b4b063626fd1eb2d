import { expect, test } from "@playwright/test";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { E2E_OWNER, signIn } from "./fixtures";
import { Provider } from "./oauth/flows";

// The owner picks the access tokens' algorithm on the settings page; new
// tokens are signed with it at once (through the token endpoint, on every
// path of the server), verify against JWKS, and work at userinfo and
// introspection; tokens issued before keep working.

test("the owner switches access tokens to ES256 and back; tokens of both kinds verify and stay usable", async ({ page, baseURL }) => {
  const provider = new Provider(baseURL);
  const app = await provider.createApp("first_party");
  const before = await provider.tokens(app, { scope: "openid offline_access" });
  expect(decodeProtectedHeader(before.access_token).alg).toBe("RS256");

  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent("/dashboard/settings")}`);
  const form = page.getByRole("form", { name: "Access tokens" });
  const algorithm = form.getByRole("combobox", { name: "Signing algorithm" });
  const save = form.getByRole("button", { name: "Save algorithm" });
  await expect(algorithm).toHaveValue("RS256");
  try {
    await algorithm.selectOption("ES256");
    await save.click();
    await expect(form.getByText("Access-token algorithm saved.")).toBeVisible();
    await page.reload();
    await expect(algorithm).toHaveValue("ES256");

    const refreshed = await provider.refresh(app, before.refresh_token!);
    expect(refreshed.status).toBe(200);
    const after: string = refreshed.json.access_token;
    expect(decodeProtectedHeader(after)).toMatchObject({ alg: "ES256", typ: "at+jwt" });
    const jwks = createRemoteJWKSet(new URL("/.well-known/jwks.json", provider.origin));
    await jwtVerify(after, jwks, { issuer: provider.issuer, typ: "at+jwt", algorithms: ["ES256"] });
    for (const token of [before.access_token, after]) {
      expect(await provider.isActive(token)).toBe(true);
      expect((await provider.userinfo(token)).status).toBe(200);
    }
  } finally {
    await algorithm.selectOption("RS256");
    await save.click();
    await expect(form.getByText("Access-token algorithm saved.")).toBeVisible();
  }
  const again = await provider.refresh(app, before.refresh_token!);
  expect(decodeProtectedHeader(again.json.access_token).alg).toBe("RS256");
});
