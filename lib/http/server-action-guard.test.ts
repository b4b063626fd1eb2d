import { readdirSync } from "node:fs";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import {
  MAX_ACTION_NESTING,
  ROUTE_HANDLER_PATH,
  dropRscFromFormPost,
  hasForeignOrigin,
  isDecodableActionBody,
  mayBeServerAction,
  nestingDepth,
  screenServerAction,
} from "./server-action-guard";

const ACTION = { "next-action": "40460d37436ed6dd8c6a4b87af6fdd9952d1d0e8e3", host: "localhost:3000", "content-type": "text/plain;charset=UTF-8" };

async function fakeExchange(url: string, headers: IncomingHttpHeaders, method = "POST", body = "[]") {
  const sent: { status?: number; headers?: Record<string, string>; body?: string } = {};
  const res = {
    writeHead(status: number, h: Record<string, string>) {
      Object.assign(sent, { status, headers: h });
      return this;
    },
    end(body?: string) {
      sent.body = body;
    },
  } as unknown as ServerResponse;
  const req = Object.assign(Readable.from([Buffer.from(body)]), { url, method, headers }) as unknown as IncomingMessage;
  return { handled: await screenServerAction(req, res), sent, req };
}

describe("server actions from another origin", () => {
  // Next refuses each of these with a 500 (a malformed Origin makes it throw).
  it.each([
    ["another site", { origin: "https://evil.example" }],
    ["an opaque origin", { origin: "null" }],
    ["an Origin that is not a URL", { origin: "%%%" }],
    ["a forwarded host that is not the Origin's", { origin: "http://localhost:3000", "x-forwarded-host": "evil.example, localhost:3000" }],
  ])("%s is a 403 page", async (_name, extra) => {
    const { handled, sent } = await fakeExchange("/signup", { ...ACTION, ...extra });
    expect(handled).toBe(true);
    expect(sent.status).toBe(403);
    expect(sent.headers).toMatchObject({ "content-type": "text/html; charset=utf-8", "cache-control": "no-store", connection: "close" });
    expect(Number(sent.headers!["content-length"])).toBe(Buffer.byteLength(sent.body!));
  });

  it("a multipart form posted without JavaScript is checked too", async () => {
    expect((await fakeExchange("/signup", { host: "localhost:3000", origin: "https://evil.example", "content-type": "multipart/form-data; boundary=x" })).handled).toBe(true);
  });

  it("lets the same origin, no Origin, other requests and route handlers through", async () => {
    expect((await fakeExchange("/signup", { ...ACTION, origin: "http://localhost:3000" })).handled).toBe(false);
    expect((await fakeExchange("/signup", { ...ACTION, origin: "https://app.example", host: "internal:3000", "x-forwarded-host": "app.example" })).handled).toBe(false);
    expect((await fakeExchange("/signup", ACTION)).handled).toBe(false);
    expect((await fakeExchange("/signup", { ...ACTION, origin: "https://evil.example" }, "GET")).handled).toBe(false);
    expect((await fakeExchange("/signin", { host: "localhost:3000", origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" })).handled).toBe(false);
    for (const url of ["/oauth2/token", "/api/v1/roles", "/api/auth/callback/credentials", "/.well-known/jwks.json", "/session/redeem", "/dashboard/%2E%2E/oauth2/token", "/signin/connections/acme/callback"]) {
      expect(mayBeServerAction("POST", url, { ...ACTION, "content-type": "multipart/form-data; boundary=x" }), url).toBe(false);
    }
  });

  it("a body Next cannot decode is a 400 page; one it can is handed to Next already read", async () => {
    for (const [type, body] of [["text/plain;charset=UTF-8", "garbage{"], ["multipart/form-data; boundary=x", "garbage{"], ["multipart/form-data", "--x--"]] as const) {
      const { handled, sent } = await fakeExchange("/signup", { ...ACTION, "content-type": type }, "POST", body);
      expect(handled, `${type} ${body}`).toBe(true);
      expect(sent.status).toBe(400);
    }
    const multipart = '--fuzz\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.example\r\n--fuzz--\r\n';
    const passed = await fakeExchange("/signup", { ...ACTION, "content-type": "multipart/form-data; boundary=fuzz" }, "POST", multipart);
    expect(passed.handled).toBe(false);
    expect((passed.req as unknown as Record<symbol, { actionBody: Buffer }>)[Symbol.for("NextInternalRequestMeta")]!.actionBody.toString()).toBe(multipart);
    expect(mayBeServerAction("POST", "/api/%2e%2E/signup", ACTION)).toBe(true);
    expect(mayBeServerAction("POST", "/session/other", ACTION)).toBe(true);
    expect(await isDecodableActionBody("text/plain", Buffer.from('["\\u0000",{"a":[1]}]'))).toBe(true);
  });

  it("arguments nested deeper than React decodes without overflowing are a 400", async () => {
    const deep = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);
    expect(nestingDepth('[{"a":"[[[[\\"{{"},[1]]')).toBe(2);
    expect(await isDecodableActionBody("text/plain", Buffer.from(`[${deep(MAX_ACTION_NESTING - 1)}]`))).toBe(true);
    expect(await isDecodableActionBody("text/plain", Buffer.from(`[${deep(4000)}]`))).toBe(false);
    const form = `--fuzz\r\nContent-Disposition: form-data; name="0"\r\n\r\n[${deep(4000)}]\r\n--fuzz--\r\n`;
    expect(await isDecodableActionBody("multipart/form-data; boundary=fuzz", Buffer.from(form))).toBe(false);
    const text = `--fuzz\r\nContent-Disposition: form-data; name="1_description"\r\n\r\n${"[".repeat(500)}\r\n--fuzz--\r\n`;
    expect(await isDecodableActionBody("multipart/form-data; boundary=fuzz", Buffer.from(text)), "a user's text is not JSON").toBe(true);
  });

  it("a body over Next's limit is a 413", async () => {
    const { sent } = await fakeExchange("/signup", ACTION, "POST", "[" + "1,".repeat(600_000) + "1]");
    expect(sent.status).toBe(413);
  });

  it("a URL-encoded POST to a page loses its RSC header (Next fails an invariant on it); others keep it", () => {
    const form = { rsc: "1", "content-type": "application/x-www-form-urlencoded" };
    const request = (url: string, headers: IncomingHttpHeaders, method = "POST") => ({ url, method, headers: { ...headers } }) as IncomingMessage;
    const post = request("/nonexistent", form);
    dropRscFromFormPost(post);
    expect(post.headers.rsc).toBeUndefined();
    for (const kept of [request("/nonexistent", form, "GET"), request("/signup", { ...form, "content-type": "text/plain" }), request("/api/v1/roles", form)]) {
      dropRscFromFormPost(kept);
      expect(kept.headers.rsc, kept.url).toBe("1");
    }
  });

  it("compares hosts as Next does: the first forwarded host, else Host; no host at all is foreign", () => {
    expect(hasForeignOrigin({ origin: "https://a.example", "x-forwarded-host": " a.example , b.example", host: "x" })).toBe(false);
    expect(hasForeignOrigin({ origin: "https://a.example" })).toBe(true);
    expect(hasForeignOrigin({ host: "a.example" })).toBe(false);
  });

  it("every route handler's path is one the check leaves alone, and no page's", () => {
    const app = path.resolve(import.meta.dirname, "..", "..", "app");
    const files = readdirSync(app, { recursive: true, encoding: "utf8" }).filter((f) => /(^|\/)(route|page)\.tsx?$/.test(f));
    for (const file of files) {
      const url = "/" + path.dirname(file).split(path.sep).filter((p) => p !== "." && !/^\(.*\)$/.test(p)).join("/");
      expect(ROUTE_HANDLER_PATH.test(url), file).toBe(/(^|\/)route\.tsx?$/.test(file));
    }
  });
});
