import { describe, expect, it } from "vitest";
import { refuseNextAuthInput } from "./next-auth-input";

const at = (path: string, init: RequestInit = {}) => refuseNextAuthInput(new Request(`http://localhost:3000${path}`, init));

describe("requests next-auth would answer with a 500", () => {
  it("a credentials callback that is not a POST is a 405", () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const response = at("/api/auth/callback/credentials?x=1", { method });
      expect(response?.status, method).toBe(405);
      expect(response?.headers.get("allow")).toBe("POST");
    }
    expect(at("/api/auth/callback/credentials", { method: "POST" })).toBeNull();
  });

  it("a callbackUrl that is not an http(s) URL, in the query or next-auth's cookie, goes back to sign-in", () => {
    for (const path of ["/api/auth/session?callbackUrl=x", "/api/auth/csrf?callbackUrl=javascript:alert(1)", "/api/auth/providers?callbackUrl=%00"]) {
      const response = at(path);
      expect(response?.status, path).toBe(303);
      expect(response?.headers.get("location")).toBe("/signin?error=Default");
    }
    expect(at("/api/auth/session", { headers: { cookie: "a=b; next-auth.callback-url=notaurl" } })?.status).toBe(303);
    expect(at("/api/auth/session", { headers: { cookie: "__Secure-next-auth.callback-url=%ZZ" } })?.status).toBe(303);
  });

  it("leaves good requests to next-auth", () => {
    expect(at("/api/auth/session")).toBeNull();
    expect(at("/api/auth/signin?callbackUrl=%2Faccount")).toBeNull();
    expect(at("/api/auth/csrf?callbackUrl=https%3A%2F%2Fapp.example%2F")).toBeNull();
    expect(at("/api/auth/session", { headers: { cookie: "next-auth.callback-url=http%3A%2F%2Flocalhost%3A3000%2Faccount" } })).toBeNull();
  });
});
