import { describe, expect, it } from "vitest";
import { OAuthError } from "./oauth-error";
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

  it("takes a code_challenge of exactly 43 base64url characters, the whole string", () => {
    const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"; // 64 characters
    expect(checkCodeChallenge(ALPHABET.slice(0, 43), "S256", false)).toEqual({ codeChallenge: ALPHABET.slice(0, 43) });
    expect(checkCodeChallenge(ALPHABET.slice(21), "S256", false)).toEqual({ codeChallenge: ALPHABET.slice(21) });
    const refused = [
      CHALLENGE.slice(0, 42), // 42
      `${CHALLENGE}A`, // 44: 43 valid characters then one more valid one
      `A${CHALLENGE}`, // 44, the extra one first
      CHALLENGE + CHALLENGE, // 86
      `${CHALLENGE}!`, // 43 valid characters then an invalid one
      `!${CHALLENGE}`, // an invalid one, then 43 valid characters
      `${CHALLENGE}=`, // base64 padding
      `${CHALLENGE}\n`,
      `${CHALLENGE.slice(0, 42)}+`, // base64, not base64url
      `${CHALLENGE.slice(0, 42)}/`,
      `${CHALLENGE.slice(0, 42)}.`, // verifier characters, not challenge characters
      `${CHALLENGE.slice(0, 42)}~`,
      `${CHALLENGE.slice(0, 42)} `,
      "",
    ];
    for (const challenge of refused) {
      expect(() => checkCodeChallenge(challenge, "S256", false), JSON.stringify(challenge)).toThrow(
        "code_challenge must be a base64url SHA-256 (43 characters)",
      );
    }
  });

  it("says why a challenge method is refused", () => {
    expect(() => checkCodeChallenge(CHALLENGE, "plain", false)).toThrow("code_challenge_method must be S256 (plain is not allowed)");
    expect(() => checkCodeChallenge(CHALLENGE, undefined, false)).toThrow("code_challenge_method must be S256 (plain is not allowed)");
    expect(() => checkCodeChallenge(CHALLENGE, "S512", false)).toThrow("code_challenge_method S512 is not supported; use S256");
    expect(() => checkCodeChallenge(CHALLENGE, "s256", false)).toThrow("code_challenge_method s256 is not supported; use S256");
    expect(() => checkCodeChallenge(undefined, "S256", false)).toThrow("code_challenge_method without code_challenge");
    expect(() => checkCodeChallenge(undefined, undefined, true)).toThrow("This client must use PKCE");
  });

  it("takes a code_verifier of 43 to 128 characters of the RFC 7636 alphabet, the whole string", () => {
    const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"; // 66 characters
    const outcome = (verifier: string) => code(() => verifyCodeVerifier(verifier, s256(verifier)));
    for (const verifier of [ALPHABET, ALPHABET.slice(0, 43), ALPHABET.slice(-43), "a".repeat(43), "a".repeat(128), ALPHABET.repeat(2).slice(0, 128)]) {
      expect(outcome(verifier), verifier).toBe("ok");
    }
    // Each refused verifier is checked against its own S256, so only the verifier pattern can refuse it.
    const refused = [
      "a".repeat(42),
      "a".repeat(129),
      ALPHABET.repeat(2), // 132
      `${"a".repeat(43)}!`, // 43 valid characters then an invalid one
      `!${"a".repeat(43)}`, // an invalid one, then 43 valid characters
      `${"a".repeat(128)}!`,
      `!${"a".repeat(128)}`,
      `${"a".repeat(21)}+${"a".repeat(21)}`,
      `${"a".repeat(42)}/`,
      `${"a".repeat(42)}=`,
      `${"a".repeat(42)} `,
      `${"a".repeat(42)}é`,
      "",
    ];
    for (const verifier of refused) {
      expect(outcome(verifier), verifier).toBe("invalid_request");
      expect(() => verifyCodeVerifier(verifier, s256(verifier))).toThrow("code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~");
    }
  });

  it("says why a verifier is refused", () => {
    expect(() => verifyCodeVerifier(VERIFIER, null)).toThrow("code_verifier sent, but the authorization request had no code_challenge");
    expect(() => verifyCodeVerifier(undefined, CHALLENGE)).toThrow("code_verifier is required");
    expect(() => verifyCodeVerifier("a".repeat(43), CHALLENGE)).toThrow("code_verifier does not match the code_challenge");
  });

  it("refuses a verifier for a code issued without PKCE (downgrade detection)", () => {
    expect(code(() => verifyCodeVerifier(VERIFIER, null))).toBe("invalid_grant");
    expect(code(() => verifyCodeVerifier(undefined, null))).toBe("ok");
  });
});
