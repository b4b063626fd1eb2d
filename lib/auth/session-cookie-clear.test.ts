import { describe, expect, it } from "vitest";
import { clearSessionCookies, sessionCookieName, sessionCookiesIn } from "./session-cookie-clear";

describe("next-auth session cookies", () => {
  it("are named as next-auth 4 names them, __Secure- over https", () => {
    expect(sessionCookieName(false)).toBe("next-auth.session-token");
    expect(sessionCookieName(true)).toBe("__Secure-next-auth.session-token");
  });

  it("are found whole and in chunks (.0, .1, …), and nothing else", () => {
    const header = "ca_authz_x=1; next-auth.session-token.0=a; next-auth.csrf-token=c; next-auth.session-token.1=b; next-auth.callback-url=u";
    expect(sessionCookiesIn(header, false)).toEqual(["next-auth.session-token.0", "next-auth.session-token.1"]);
    expect(sessionCookiesIn("next-auth.session-token=abc", false)).toEqual(["next-auth.session-token"]);
    // Over https only the __Secure- cookie is next-auth's session.
    expect(sessionCookiesIn("next-auth.session-token=abc", true)).toEqual([]);
    expect(sessionCookiesIn("__Secure-next-auth.session-token=abc", true)).toEqual(["__Secure-next-auth.session-token"]);
    expect(sessionCookiesIn(null, false)).toEqual([]);
  });

  it("are deleted with next-auth's attributes, only those the request carries", () => {
    expect(clearSessionCookies("next-auth.session-token.0=a; next-auth.session-token.1=b; other=1", false)).toEqual([
      "next-auth.session-token.0=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
      "next-auth.session-token.1=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
    ]);
    expect(clearSessionCookies("__Secure-next-auth.session-token=a", true)).toEqual([
      "__Secure-next-auth.session-token=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax; Secure",
    ]);
    expect(clearSessionCookies("other=1", false)).toEqual([]);
  });
});
