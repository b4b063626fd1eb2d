import { describe, expect, it } from "vitest";
import { OAuthError } from "./errors";
import { checkCodeChallenge, s256, verifyCodeVerifier } from "./pkce";

// RFC 7636 Appendix B.
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

const code = (fn: () => unknown) => {
  try {
    fn();
    return "ok";
  } catch (e) {
    return (e as OAuthError).code;
  }
};

describe("PKCE", () => {
  it("computes S256 as RFC 7636 Appendix B does", () => {
    expect(s256(VERIFIER)).toBe(CHALLENGE);
  });

  it("accepts S256 challenges and refuses plain, other methods and malformed challenges", () => {
    expect(checkCodeChallenge(CHALLENGE, "S256", true)).toEqual({ codeChallenge: CHALLENGE });
    expect(code(() => checkCodeChallenge(CHALLENGE, "plain", false))).toBe("invalid_request");
    expect(code(() => checkCodeChallenge(CHALLENGE, undefined, false))).toBe("invalid_request");
    expect(code(() => checkCodeChallenge(CHALLENGE, "S512", false))).toBe("invalid_request");
    expect(code(() => checkCodeChallenge("short", "S256", false))).toBe("invalid_request");
    expect(code(() => checkCodeChallenge(undefined, "S256", false))).toBe("invalid_request");
  });

  it("is required when the policy says so, optional otherwise", () => {
    expect(code(() => checkCodeChallenge(undefined, undefined, true))).toBe("invalid_request");
    expect(checkCodeChallenge(undefined, undefined, false)).toBeNull();
  });

  it("verifies the verifier at the token endpoint, including ~ in the alphabet", () => {
    expect(code(() => verifyCodeVerifier(VERIFIER, CHALLENGE))).toBe("ok");
    const tilde = `${"a~".repeat(22)}`;
    expect(code(() => verifyCodeVerifier(tilde, s256(tilde)))).toBe("ok");
    expect(code(() => verifyCodeVerifier(VERIFIER.replace("d", "e"), CHALLENGE))).toBe("invalid_grant");
    expect(code(() => verifyCodeVerifier(undefined, CHALLENGE))).toBe("invalid_grant");
    expect(code(() => verifyCodeVerifier("a".repeat(42), s256("a".repeat(42))))).toBe("invalid_request");
    expect(code(() => verifyCodeVerifier("a".repeat(129), s256("a".repeat(129))))).toBe("invalid_request");
    expect(code(() => verifyCodeVerifier(`${"a".repeat(42)}!`, CHALLENGE))).toBe("invalid_request");
  });

  it("refuses a verifier for a code issued without PKCE (downgrade detection)", () => {
    expect(code(() => verifyCodeVerifier(VERIFIER, null))).toBe("invalid_grant");
    expect(code(() => verifyCodeVerifier(undefined, null))).toBe("ok");
  });
});
