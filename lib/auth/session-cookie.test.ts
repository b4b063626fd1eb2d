import { decode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { authOptions } from "./options";
import { sessionCookieFor } from "./session-cookie";

// The real next-auth configuration, with a known secret (each test file runs in its own process).
process.env.AUTH_SECRET = "session-cookie-test-secret-0123456789abcdef";
process.env.ISSUER = "http://localhost:3000";

const user = { id: "0190a0b0-0000-7000-8000-000000000001", email: "user@example.com", name: "Us Er" };

describe("sessionCookieFor", () => {
  it("is next-auth's session cookie, holding what a credentials sign-in would, readable by the session callback", async () => {
    const options = authOptions();
    const before = Math.floor(Date.now() / 1000);
    const cookie = await sessionCookieFor(options, user);
    const [pair, ...attributes] = cookie.split("; ");
    const [name, value] = [pair!.slice(0, pair!.indexOf("=")), pair!.slice(pair!.indexOf("=") + 1)];
    expect(name).toBe("next-auth.session-token");
    expect(attributes).toEqual(["Path=/", `Max-Age=${30 * 24 * 60 * 60}`, "HttpOnly", "SameSite=Lax"]);

    const token = (await decode({ token: value, secret: options.secret! }))!;
    expect(token).toMatchObject({ sub: user.id, email: user.email, name: user.name });
    expect(token.authTime).toBeGreaterThanOrEqual(before);
    expect((token.exp as number) - (token.iat as number)).toBe(30 * 24 * 60 * 60);
    // Decrypting with another secret fails: it is sealed with the server secret.
    await expect(decode({ token: value, secret: "another-secret-another-secret-another" })).rejects.toThrow();

    const session = await options.callbacks!.session!({ session: { expires: "" }, token, user: undefined!, newSession: undefined, trigger: "update" });
    expect(session).toMatchObject({ user: { id: user.id }, authTime: token.authTime });
  });

  it("records how the user signed in (amr, idp) when told, and nothing otherwise", async () => {
    const options = authOptions();
    const read = async (cookie: string) => (await decode({ token: cookie.slice(cookie.indexOf("=") + 1, cookie.indexOf(";")), secret: options.secret! }))!;
    const federated = await read(await sessionCookieFor(options, user, { amr: ["fed"], idp: "acme" }));
    expect(federated).toMatchObject({ amr: ["fed"], idp: "acme" });
    const session = await options.callbacks!.session!({ session: { expires: "" }, token: federated, user: undefined!, newSession: undefined, trigger: "update" });
    expect(session).toMatchObject({ signIn: { amr: ["fed"], idp: "acme" } });
    const unknown = await read(await sessionCookieFor(options, user));
    expect(unknown.amr).toBeUndefined();
    expect(unknown.idp).toBeUndefined();
  });

  it("uses the __Secure- name and the Secure attribute when sessions are https-only", async () => {
    const cookie = await sessionCookieFor({ ...authOptions(), useSecureCookies: true }, { ...user, name: null });
    expect(cookie).toMatch(/^__Secure-next-auth\.session-token=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/);
  });
});
