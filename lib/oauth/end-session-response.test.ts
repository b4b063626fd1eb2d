import { describe, expect, it } from "vitest";
import { endSessionResponse } from "./end-session-response";

const COOKIES = "theme=dark; next-auth.session-token.0=a; next-auth.session-token.1=b; __Secure-next-auth.session-token=c";
const cleared = (name: string, secure: boolean) =>
  `${name}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;

describe("endSessionResponse", () => {
  it.each([
    [false, 302],
    [true, 303],
  ])("signed out (after a POST %s): %s to the location, every session cookie of the request deleted", (afterPost, status) => {
    const response = endSessionResponse({ type: "signed_out", location: "https://app.example.com/bye" }, { cookieHeader: COOKIES, secureCookies: false, afterPost });
    expect(response.status).toBe(status);
    expect(response.headers.get("location")).toBe("https://app.example.com/bye");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.getSetCookie()).toEqual([cleared("next-auth.session-token.0", false), cleared("next-auth.session-token.1", false)]);
  });

  it("deletes the Secure session cookie with a Secure deletion", () => {
    const response = endSessionResponse({ type: "signed_out", location: "/" }, { cookieHeader: COOKIES, secureCookies: true, afterPost: true });
    expect(response.headers.getSetCookie()).toEqual([cleared("__Secure-next-auth.session-token", true)]);
  });

  it("a redirect that does not end the session deletes nothing", () => {
    const response = endSessionResponse({ type: "redirect", location: "/oauth2/end_session/confirm?x=1" }, { cookieHeader: COOKIES, secureCookies: false, afterPost: false });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/oauth2/end_session/confirm?x=1");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("an error page is the page: 400, no redirect, no cookie deleted", async () => {
    const response = endSessionResponse({ type: "error_page", title: "Sign-out request refused", description: "You are still signed in." }, { cookieHeader: COOKIES, secureCookies: false, afterPost: true });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).toContain("You are still signed in.");
  });
});
