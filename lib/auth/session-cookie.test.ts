import { decode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { authOptions } from "./options";
import { renewedSessionToken, sessionCookieFor } from "./session-cookie";

// The real next-auth configuration, with a known secret (each test file runs in its own process).
process.env.AUTH_SECRET = "session-cookie-test-secret-0123456789abcdef";
process.env.ISSUER = "http://localhost:3000";

const user = { id: "0190a0b0-0000-7000-8000-000000000001", email: "user@example.com", name: "Us Er", sessionEpoch: 3 };

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
    expect(session).toMatchObject({ user: { id: user.id }, authTime: token.authTime, sessionEpoch: 3 });
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

describe("renewedSessionToken", () => {
  const options = authOptions();
  const valueOf = (cookie: string) => cookie.slice(cookie.indexOf("=") + 1, cookie.indexOf(";"));
  const read = async (sealed: string) => (await decode({ token: sealed, secret: options.secret! }))!;

  it("re-seals this browser's session with the new epoch, keeping who, when and how it signed in, with a fresh lifetime", async () => {
    const sealed = valueOf(await sessionCookieFor(options, user, { amr: ["fed"], idp: "acme" }));
    const before = await read(sealed);
    const renewed = await read((await renewedSessionToken(options, [{ name: "other", value: "x" }, { name: "next-auth.session-token", value: sealed }], 9))!);
    expect(renewed).toMatchObject({ sub: user.id, email: user.email, name: user.name, authTime: before.authTime, amr: ["fed"], idp: "acme", sessionEpoch: 9 });
    expect((renewed.exp as number) - (renewed.iat as number)).toBe(30 * 24 * 60 * 60);
    expect(renewed.jti).not.toBe(before.jti);
  });

  it("joins a chunked session in chunk order, and reads the __Secure- cookie when sessions are https-only", async () => {
    const sealed = valueOf(await sessionCookieFor(options, user));
    const [a, b, c] = [sealed.slice(0, 40), sealed.slice(40, 90), sealed.slice(90)];
    const chunks = [
      { name: "next-auth.session-token.2", value: c },
      { name: "next-auth.session-token.0", value: a },
      { name: "next-auth.session-token.1", value: b },
    ];
    expect(await read((await renewedSessionToken(options, chunks, 4))!)).toMatchObject({ sub: user.id, sessionEpoch: 4 });
    const secure = { ...options, useSecureCookies: true };
    expect(await renewedSessionToken(secure, [{ name: "next-auth.session-token", value: sealed }], 4)).toBeNull();
    expect(await read((await renewedSessionToken(secure, [{ name: "__Secure-next-auth.session-token", value: sealed }], 4))!)).toMatchObject({ sessionEpoch: 4 });
  });

  it("is null without a session it can read: none, garbage, or sealed with another secret", async () => {
    expect(await renewedSessionToken(options, [], 1)).toBeNull();
    expect(await renewedSessionToken(options, [{ name: "next-auth.session-token", value: "garbage" }], 1)).toBeNull();
    const foreign = valueOf(await sessionCookieFor({ ...options, secret: "another-secret-another-secret-another" }, user));
    expect(await renewedSessionToken(options, [{ name: "next-auth.session-token", value: foreign }], 1)).toBeNull();
  });
});
