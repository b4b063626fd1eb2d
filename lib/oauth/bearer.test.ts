import { describe, expect, it } from "vitest";
import { readBearerToken } from "./bearer";
import { OAuthError } from "./oauth-error";

/** The error a call refuses with, as a client sees it: code, status and challenge. */
function refusal(run: () => unknown) {
  try {
    run();
  } catch (e) {
    if (e instanceof OAuthError) return { code: e.code, status: e.status, challenge: e.options.wwwAuthenticate };
    throw e;
  }
  return null;
}

const form = (entries: [string, string][]) => new URLSearchParams(entries);

describe("readBearerToken (RFC 6750 §2.1, §2.2)", () => {
  it("takes the token from the Authorization header or from the form body", () => {
    expect(readBearerToken("Bearer abc.def", null)).toBe("abc.def");
    expect(readBearerToken("bearer  abc ", form([]))).toBe("abc");
    expect(readBearerToken(null, form([["access_token", "from-body"]]))).toBe("from-body");
    expect(readBearerToken("Basic dXNlcjpwYXNz", form([["access_token", "from-body"]]))).toBe("from-body");
  });

  it("no token at all: 401 with the bare challenge, no error code (§3.1)", () => {
    for (const [header, body] of [[null, null], [null, form([])], ["Basic dXNlcjpwYXNz", null], [null, form([["access_token", ""]])]] as const) {
      expect(refusal(() => readBearerToken(header, body))).toEqual({ code: "invalid_token", status: 401, challenge: 'Bearer realm="connected-apps"' });
    }
  });

  it("a token sent twice (header and body) is invalid_request with its challenge", () => {
    expect(refusal(() => readBearerToken("Bearer abc", form([["access_token", "abc"]])))).toEqual({
      code: "invalid_request",
      status: 400,
      challenge: 'Bearer realm="connected-apps", error="invalid_request", error_description="Send the access token once"',
    });
  });

  it("a malformed body is invalid_request with its challenge; a malformed header an invalid token", () => {
    const repeated = refusal(() => readBearerToken(null, form([["access_token", "a"], ["access_token", "b"]])));
    expect(repeated).toMatchObject({ code: "invalid_request", status: 400, challenge: expect.stringMatching(/^Bearer realm="connected-apps", error="invalid_request", error_description="[^"]+"$/) });
    expect(refusal(() => readBearerToken("Bearer a b", null))).toMatchObject({ code: "invalid_token", status: 401, challenge: expect.stringContaining('error="invalid_token"') });
  });
});
