import { describe, expect, it, vi } from "vitest";
import { OAuthError, invalidClient, toOAuthErrorResponse } from "./errors";

describe("OAuthError", () => {
  it("knows its status and whether it may be redirected", () => {
    expect(new OAuthError("invalid_grant", "x").status).toBe(400);
    expect(invalidClient().status).toBe(401);
    expect(invalidClient().redirectable).toBe(false);
    expect(new OAuthError("access_denied", "x").redirectable).toBe(true);
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
});
