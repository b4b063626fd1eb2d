import { describe, expect, it } from "vitest";
import { authOptions, sameSitePath } from "./options";

const BASE = "http://localhost:3000";

describe("where sign-in and sign-out may send the browser", () => {
  it.each([
    ["/account", "/account"],
    ["/oauth2/authorize/resume?request=abc", "/oauth2/authorize/resume?request=abc"],
    [`${BASE}/dashboard?x=1#top`, "/dashboard?x=1#top"],
  ])("keeps %s on this site as %s", (url, path) => {
    expect(sameSitePath(url, BASE)).toBe(path);
  });

  it.each([`${BASE}.evil.example/`, "http://localhost:3001/account", "https://evil.example/", "javascript:alert(1)", "not a url", "http://[bad"])(
    "refuses %s",
    (url) => expect(sameSitePath(url, BASE)).toBeUndefined(),
  );

  it("next-auth's redirect callback ends on a path of this site, falling back to the landing that picks dashboard or account", async () => {
    const redirect = authOptions().callbacks!.redirect!;
    const go = (url: string) => redirect({ url, baseUrl: BASE });
    expect(await go(`${BASE}.evil.example/`)).toBe(`${BASE}/signed-in`);
    expect(await go("//evil.example/x")).toBe(`${BASE}/signed-in`);
    expect(await go("/dashboard")).toBe(`${BASE}/dashboard`);
    // A control character cannot reach the Location header.
    expect(await go("/account?next=\u0000x")).toBe(`${BASE}/account?next=%00x`);
  });
});
