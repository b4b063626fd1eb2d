import { describe, expect, it } from "vitest";
import { B64TOKEN, bearerChallenge, bearerError, parseBearerHeader } from "./bearer-header";

describe("Bearer credentials (RFC 6750 §2.1)", () => {
  it("takes the token of a Bearer header, any case, extra spaces tolerated", () => {
    expect(parseBearerHeader("Bearer ca_key_abc-DEF_123")).toBe("ca_key_abc-DEF_123");
    expect(parseBearerHeader("bearer  ca_key_x")).toBe("ca_key_x");
    expect(parseBearerHeader("BEARER ca_key_x ")).toBe("ca_key_x");
    expect(parseBearerHeader("Bearer abc+/~.=")).toBe("abc+/~.=");
  });

  it("finds no Bearer credential without a header or with another scheme", () => {
    expect(parseBearerHeader(null)).toBeNull();
    expect(parseBearerHeader("")).toBeNull();
    expect(parseBearerHeader("Basic dXNlcjpwYXNz")).toBeNull();
    expect(parseBearerHeader("Bearerca_key_x")).toBeNull();
  });

  it("calls a Bearer header without a single valid token malformed", () => {
    expect(parseBearerHeader("Bearer")).toBe("malformed");
    expect(parseBearerHeader("Bearer ")).toBe("malformed");
    expect(parseBearerHeader("Bearer a b")).toBe("malformed");
    expect(parseBearerHeader("Bearer a,b")).toBe("malformed");
    expect(parseBearerHeader('Bearer "quoted"')).toBe("malformed");
    expect(parseBearerHeader("Bearer a=b")).toBe("malformed");
  });
});

describe("bearerChallenge (RFC 6750 §3)", () => {
  it("is bare without an error: the request carried no credentials (§3.1)", () => {
    expect(bearerChallenge()).toBe('Bearer realm="connected-apps"');
  });

  it("names the error, its description and the scope, in that order", () => {
    expect(bearerChallenge({ code: "insufficient_scope", description: "Needs more", scope: "read:x" })).toBe(
      'Bearer realm="connected-apps", error="insufficient_scope", error_description="Needs more", scope="read:x"',
    );
    expect(bearerChallenge({ code: "invalid_token" })).toBe('Bearer realm="connected-apps", error="invalid_token"');
  });

  it("keeps a description inside its quotes: quotes become apostrophes, backslashes go", () => {
    expect(bearerChallenge({ code: "invalid_token", description: 'The "key" is \\unknown\\' })).toBe(
      `Bearer realm="connected-apps", error="invalid_token", error_description="The 'key' is unknown"`,
    );
  });
});

describe("B64TOKEN", () => {
  it("is the token of a valid Bearer header", () => {
    for (const token of ["abc", "a-b.c_d~e+f/g", "abc==", "ca_key_x"]) {
      expect(B64TOKEN.test(token), token).toBe(true);
      expect(parseBearerHeader(`Bearer ${token}`)).toBe(token);
    }
    for (const token of ["", "a b", "a=b", '"q"', "a!"]) expect(B64TOKEN.test(token), token).toBe(false);
  });
});

describe("bearerError", () => {
  it("is the OAuthError whose challenge names the same error, description and scope", () => {
    const error = bearerError("insufficient_scope", 'Needs "more"', "read:x");
    expect([error.code, error.status, error.description]).toEqual(["insufficient_scope", 403, 'Needs "more"']);
    expect(error.options.wwwAuthenticate).toBe(`Bearer realm="connected-apps", error="insufficient_scope", error_description="Needs 'more'", scope="read:x"`);
    expect(bearerError("invalid_token", "gone").options.wwwAuthenticate).toBe('Bearer realm="connected-apps", error="invalid_token", error_description="gone"');
  });
});
