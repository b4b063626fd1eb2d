import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { hasMalformedPath, refuseMalformedPath } from "./malformed-path";

function fakeExchange(url: string, method = "GET") {
  const sent: { status?: number; headers?: Record<string, string>; body?: string } = {};
  const res = {
    writeHead(status: number, headers: Record<string, string>) {
      Object.assign(sent, { status, headers });
      return this;
    },
    end(body?: string) {
      sent.body = body;
    },
  } as unknown as ServerResponse;
  return { handled: refuseMalformedPath({ url, method } as IncomingMessage, res), sent };
}

describe("malformed request paths", () => {
  it.each(["/api/v1/roles/%", "/api/v1/scopes/%zz", "/api/v1/connected-apps/%ED%A0%80", "/oauth2/register/%", "/dashboard/apps/%", "/%E0%A4%A"])(
    "%s cannot be decoded",
    (url) => expect(hasMalformedPath(url)).toBe(true),
  );

  it.each(["/", "/api/v1/roles/editor", "/oauth2/register/%00", "/dashboard/apps/https%3A%2F%2Fapp.example%2Fc.json", "/x/%C3%A9", "/signin?callbackUrl=%"])(
    "%s decodes (the query is the route's business)",
    (url) => expect(hasMalformedPath(url)).toBe(false),
  );

  it("answers the protocol and the APIs in RFC 6749 shape, pages with a short page, and lets good paths through", () => {
    const api = fakeExchange("/api/v1/roles/%?x=1");
    expect(api.handled).toBe(true);
    expect(api.sent.status).toBe(400);
    expect(api.sent.headers).toMatchObject({ "content-type": "application/json", "cache-control": "no-store", "X-Content-Type-Options": "nosniff" });
    expect(JSON.parse(api.sent.body!)).toEqual({ error: "invalid_request", error_description: "The request path is not valid percent-encoded UTF-8" });
    expect(Number(api.sent.headers!["content-length"])).toBe(Buffer.byteLength(api.sent.body!));
    for (const url of ["/oauth2/register/%", "/.well-known/%zz"]) expect(fakeExchange(url).sent.headers!["content-type"]).toBe("application/json");

    const page = fakeExchange("/dashboard/apps/%");
    expect(page.sent.status).toBe(400);
    expect(page.sent.headers!["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.sent.body).toContain("<h1>Bad request</h1>");
    expect(fakeExchange("/dashboard/apps/%", "HEAD").sent.body).toBeUndefined();

    expect(fakeExchange("/dashboard/apps/ca_1")).toEqual({ handled: false, sent: {} });
  });
});
