import { describe, expect, it, vi } from "vitest";
import { OAuthError, invalidClient, invalidGrant, invalidRequest, toOAuthErrorResponse, type OAuthErrorCode } from "./oauth-error";

/**
 * Every error code and the HTTP status it is sent with, from the spec that
 * defines it. Typed as a Record so a code added to or removed from oauth-error.ts
 * without a row here fails the type check.
 */
const STATUS_BY_SPEC: Record<OAuthErrorCode, [status: number, spec: string]> = {
  invalid_request: [400, "RFC 6749 §5.2"],
  // §5.2: 401 with WWW-Authenticate when the client tried to authenticate (this server always sends 401).
  invalid_client: [401, "RFC 6749 §5.2"],
  invalid_grant: [400, "RFC 6749 §5.2"],
  unauthorized_client: [400, "RFC 6749 §5.2"],
  unsupported_grant_type: [400, "RFC 6749 §5.2"],
  unsupported_response_type: [400, "RFC 6749 §4.1.2.1"],
  invalid_scope: [400, "RFC 6749 §5.2"],
  // Authorization-endpoint errors travel in a redirect; the status is what a direct answer uses.
  access_denied: [403, "RFC 6749 §4.1.2.1"],
  server_error: [500, "RFC 6749 §4.1.2.1 (500, which a redirect cannot carry)"],
  temporarily_unavailable: [503, "RFC 6749 §4.1.2.1 (503, which a redirect cannot carry)"],
  login_required: [400, "OIDC Core §3.1.2.6"],
  consent_required: [400, "OIDC Core §3.1.2.6"],
  interaction_required: [400, "OIDC Core §3.1.2.6"],
  invalid_token: [401, "RFC 6750 §3.1"],
  insufficient_scope: [403, "RFC 6750 §3.1"],
  invalid_target: [400, "RFC 8707 §2"],
  unsupported_token_type: [400, "RFC 7009 §2.2.1"],
  request_not_supported: [400, "OIDC Core §3.1.2.6"],
  request_uri_not_supported: [400, "OIDC Core §3.1.2.6"],
  authorization_pending: [400, "RFC 8628 §3.5"],
  slow_down: [400, "RFC 8628 §3.5"],
  expired_token: [400, "RFC 8628 §3.5"],
  invalid_redirect_uri: [400, "RFC 7591 §3.2.2"],
  invalid_client_metadata: [400, "RFC 7591 §3.2.2"],
  // At the token endpoint; a resource endpoint answers them with 401 (RFC 9449 §7.1).
  invalid_dpop_proof: [400, "RFC 9449 §5"],
  use_dpop_nonce: [400, "RFC 9449 §8"],
};

/** RFC 6749 §4.1.2.1: errors about the client itself are never sent to its redirect URI. */
const NEVER_REDIRECTED: OAuthErrorCode[] = ["invalid_client"];

describe("OAuthError", () => {
  it("knows its status and whether it may be redirected", () => {
    expect(new OAuthError("invalid_grant", "x").status).toBe(400);
    expect(invalidClient().status).toBe(401);
    expect(invalidClient().redirectable).toBe(false);
    expect(new OAuthError("access_denied", "x").redirectable).toBe(true);
  });

  describe.each(Object.entries(STATUS_BY_SPEC) as [OAuthErrorCode, [number, string]][])("%s", (code, [status, spec]) => {
    it(`is sent with HTTP ${status} (${spec})`, async () => {
      const error = new OAuthError(code, "x");
      expect(error.status).toBe(status);
      const response = toOAuthErrorResponse(error);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: code, error_description: "x" });
    });

    it(NEVER_REDIRECTED.includes(code) ? "is never redirected" : "may be redirected", () => {
      expect(new OAuthError(code, "x").redirectable).toBe(!NEVER_REDIRECTED.includes(code));
    });
  });

  it("an explicit status or redirectable overrides the table", () => {
    expect(new OAuthError("invalid_request", "x", { status: 413 }).status).toBe(413);
    expect(new OAuthError("invalid_client", "x", { redirectable: true }).redirectable).toBe(true);
    expect(new OAuthError("access_denied", "x", { redirectable: false }).redirectable).toBe(false);
  });

  it("renders RFC 6749 §5.2 JSON with no-store and the challenge", async () => {
    const response = toOAuthErrorResponse(invalidClient("bad", 'Basic realm="oauth2"'));
    expect(response.status).toBe(401);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="oauth2"');
    expect(await response.json()).toEqual({ error: "invalid_client", error_description: "bad" });
  });

  it("turns unexpected errors into server_error without details", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = toOAuthErrorResponse(new Error("database password is hunter2"));
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body.error).toBe("server_error");
    expect(JSON.stringify(body)).not.toContain("hunter2");
  });

  it("logs an unexpected error once, with its cause, and never an OAuthError (an expected refusal)", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    log.mockClear();
    const bug = new TypeError("undefined is not a function");
    toOAuthErrorResponse(bug);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]).toContain(bug);
    log.mockClear();
    toOAuthErrorResponse(invalidClient());
    expect(log).not.toHaveBeenCalled();
  });

  it("sends Retry-After with a 429 or 503, and no challenge or Retry-After unless set", () => {
    const limited = toOAuthErrorResponse(new OAuthError("temporarily_unavailable", "slow down", { status: 429, retryAfter: 0 }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("0");
    const plain = toOAuthErrorResponse(new OAuthError("invalid_request", "x"));
    expect(plain.headers.get("retry-after")).toBeNull();
    expect(plain.headers.get("www-authenticate")).toBeNull();
    expect(plain.headers.get("pragma")).toBe("no-cache");
  });

  it("keeps the private detail and the cause out of the response, on the error for logs", async () => {
    const cause = new Error("row lock timeout");
    const error = new OAuthError("invalid_grant", "The authorization code is invalid", { detail: "code belongs to ca_other", cause });
    expect(error.cause).toBe(cause);
    expect(error.options.detail).toBe("code belongs to ca_other");
    expect(error.name).toBe("OAuthError");
    expect(await toOAuthErrorResponse(error).json()).toEqual({ error: "invalid_grant", error_description: "The authorization code is invalid" });
  });

  it("sends a fresh DPoP nonce as DPoP-Nonce (RFC 9449 §8), and none unless given", () => {
    expect(toOAuthErrorResponse(new OAuthError("use_dpop_nonce", "x", { dpopNonce: "n-2" })).headers.get("DPoP-Nonce")).toBe("n-2");
    expect(toOAuthErrorResponse(new OAuthError("use_dpop_nonce", "x", { dpopNonce: "" })).headers.get("DPoP-Nonce")).toBe("");
    expect(toOAuthErrorResponse(new OAuthError("invalid_request", "x")).headers.has("DPoP-Nonce")).toBe(false);
  });

  it("the factories carry the private detail for the log, and invalid_client says only that authentication failed", () => {
    expect(invalidRequest("public", "why").options.detail).toBe("why");
    expect(invalidGrant("public", "why").options.detail).toBe("why");
    expect(invalidClient()).toMatchObject({ code: "invalid_client", description: "Client authentication failed" });
  });

  it("logs the private detail as one printable line, and nothing for an error without one", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    toOAuthErrorResponse(new OAuthError("invalid_client", "Client authentication failed", { detail: "no key with kid a\nb is registered" }));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith("oauth: invalid_client: no key with kid a\\u000ab is registered");
    toOAuthErrorResponse(new OAuthError("invalid_request", "x"));
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
