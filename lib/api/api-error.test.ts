import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { appNotFound } from "../clients/apps";
import { conflictError, invalidInput, notFoundError } from "../domain-error";
import { API_ERROR_STATUS, ApiError, invalidToken, toApiError, toErrorResponse } from "./api-error";

afterEach(() => vi.restoreAllMocks());

describe("management API errors", () => {
  it.each([
    ["invalid_input", invalidInput({ "redirect_uris[0]": "must use https" }), { status: 400, code: "invalid_body", fields: { "redirect_uris[0]": "must use https" } }],
    ["not_found (an app)", appNotFound("ca_x"), { status: 404, code: "not_found", description: "No connected app with client_id ca_x" }],
    ["not_found", notFoundError("No role named x"), { status: 404, code: "not_found", description: "No role named x" }],
    ["conflict", conflictError("No secret rotation is in progress"), { status: 409, code: "conflict", description: "No secret rotation is in progress" }],
  ])("map a DomainError %s to its status and code", (_, error, wire) => {
    expect(toApiError(error)).toMatchObject(wire);
  });

  it("pass their own errors through", () => {
    const own = new ApiError("payload_too_large", "too big");
    expect(toApiError(own)).toBe(own);
  });

  it("status table: one status per code, as the wire promises", () => {
    expect(API_ERROR_STATUS).toEqual({
      invalid_request: 400,
      invalid_body: 400,
      invalid_token: 401,
      not_found: 404,
      conflict: 409,
      payload_too_large: 413,
      server_error: 500,
    });
  });

  it("render as { error, error_description, fields? } with Cache-Control: no-store", async () => {
    const response = toErrorResponse(invalidInput({ client_type: "must be one of …" }));
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("www-authenticate")).toBeNull();
    expect(await response.json()).toEqual({
      error: "invalid_body",
      error_description: "The request body has invalid fields",
      fields: { client_type: "must be one of …" },
    });
    expect(await toErrorResponse(appNotFound("ca_y")).json()).toEqual({
      error: "not_found",
      error_description: "No connected app with client_id ca_y",
    });
  });

  it("401 carries a Bearer challenge; it names invalid_token only when credentials were sent (RFC 6750 §3.1)", async () => {
    const missing = toErrorResponse(invalidToken("Send a key", false));
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="connected-apps"');
    expect(await missing.json()).toEqual({ error: "invalid_token", error_description: "Send a key" });
    const wrong = toErrorResponse(invalidToken('The "key" is unknown', true));
    expect(wrong.headers.get("www-authenticate")).toBe(
      `Bearer realm="connected-apps", error="invalid_token", error_description="The 'key' is unknown"`,
    );
  });

  it("anything unexpected is a 500 server_error without details, logged with its cause", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const cause = new Error("connection to 10.0.0.7:5432 refused; password=hunter2");
    const response = toErrorResponse(cause, "GET /api/v1/settings");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "server_error", error_description: "The server could not complete the request" });
    expect(text).not.toContain("10.0.0.7");
    expect(log).toHaveBeenCalledWith(expect.stringContaining("GET /api/v1/settings"), cause);

    // A ZodError from inside the server is not the client's fault either.
    const zodFailure = z.object({ a: z.string() }).safeParse({});
    expect(toErrorResponse(zodFailure.error).status).toBe(500);
    expect(toErrorResponse("a thrown string").status).toBe(500);
  });
});
