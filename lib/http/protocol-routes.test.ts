import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_FORM_BYTES } from "../oauth/params";
import { documentResponse, type PublicDocument } from "../oauth/well-known";
import { PROTOCOL_PATHS, protocolDispatcher, type RouteHandlers } from "./protocol-routes";
import { SECURITY_HEADERS } from "./security-headers";

const root = path.resolve(import.meta.dirname, "../..");

describe("PROTOCOL_PATHS", () => {
  it.each(PROTOCOL_PATHS)("%s is a route file of the app", (route) => {
    const file = path.join(root, "app", ...route.split("/"), "route.ts");
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8")).toMatch(/export (const|async function|function) (GET|POST)\b/);
  });

  it("are every endpoint of the discovery document that clients call per request", () => {
    for (const route of ["/oauth2/token", "/oauth2/introspect", "/oauth2/revoke", "/oauth2/userinfo", "/.well-known/jwks.json"]) {
      expect(PROTOCOL_PATHS).toContain(route);
    }
    // Pages (authorize, end_session) need Next: sessions, rendering.
    expect(PROTOCOL_PATHS).not.toContain("/oauth2/authorize");
  });
});

const text = JSON.stringify({ issuer: "https://idp.example", note: "é" });
const publicDocument: PublicDocument = {
  text,
  bytes: Buffer.from(text),
  headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
};
let documentReads = 0;

describe("protocolDispatcher", () => {
  const seen: { method: string; url: string; body: string; contentType: string | null }[] = [];
  const routes = new Map<string, RouteHandlers>([
    [
      "/echo",
      {
        GET: (request) => Response.json({ url: request.url }, { headers: { "Cache-Control": "no-store" } }),
        POST: async (request) => {
          const body = await request.text();
          seen.push({ method: request.method, url: request.url, body, contentType: request.headers.get("content-type") });
          return Response.json({ length: body.length }, { status: 201 });
        },
      },
    ],
    [
      "/cookies",
      {
        GET: () => {
          const headers = new Headers();
          headers.append("Set-Cookie", "a=1");
          headers.append("Set-Cookie", "b=2");
          return new Response(null, { status: 204, headers });
        },
      },
    ],
    // A document route as documentRoute builds it: the bytes, or its Response.
    [
      "/document",
      {
        GET: Object.assign(() => new Response("not this path", { status: 500 }), {
          document: async () => {
            documentReads++;
            return publicDocument;
          },
        }),
      },
    ],
    ["/document-as-response", { GET: () => documentResponse(publicDocument) }],
    [
      "/document-failing",
      {
        GET: Object.assign(() => Response.json({ error: "server_error" }, { status: 500 }), {
          document: () => Promise.reject(new Error("database down")),
        }),
      },
    ],
    [
      "/broken",
      {
        GET: () => {
          throw new Error("bug");
        },
      },
    ],
  ]);
  let server: http.Server;
  let origin: string;
  beforeAll(async () => {
    const dispatch = protocolDispatcher(routes);
    server = http.createServer((req, res) => {
      if (dispatch(req, res)) return;
      res.writeHead(404, { "x-served-by": "fallback" });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("serves a listed path with the handler of its method, with the server's security headers", async () => {
    const response = await fetch(`${origin}/echo?x=1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ url: `${origin}/echo?x=1` });
    expect(response.headers.get("cache-control")).toBe("no-store");
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(name)).toBe(value);
  });

  it("passes the body and headers of a POST, and returns the handler's status", async () => {
    const body = "grant_type=refresh_token&refresh_token=abc";
    const response = await fetch(`${origin}/echo`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ length: body.length });
    expect(seen.at(-1)).toEqual({ method: "POST", url: `${origin}/echo`, body, contentType: "application/x-www-form-urlencoded" });
  });

  it("HEAD is GET without the body", async () => {
    const response = await fetch(`${origin}/echo`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("content-length"))).toBeGreaterThan(0);
    expect(await response.text()).toBe("");
  });

  it("keeps every Set-Cookie header", async () => {
    const response = await fetch(`${origin}/cookies`);
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });

  it("leaves other paths, trailing slashes and unexported methods to the fallback (Next)", async () => {
    for (const [url, method] of [["/other", "GET"], ["/echo/", "GET"], ["/echo", "DELETE"], ["/cookies", "POST"]] as const) {
      const response = await fetch(`${origin}${url}`, { method });
      expect(response.status, `${method} ${url}`).toBe(404);
      expect(response.headers.get("x-served-by")).toBe("fallback");
    }
  });

  it("writes a document's bytes with the same status, headers and body as its Response", async () => {
    const before = documentReads;
    const [direct, viaResponse] = await Promise.all([fetch(`${origin}/document?x=1`), fetch(`${origin}/document-as-response`)]);
    expect(documentReads).toBe(before + 1);
    expect(direct.status).toBe(200);
    const headersOf = (response: Response) => [...response.headers].filter(([name]) => name !== "date" && name !== "keep-alive" && name !== "connection");
    expect(headersOf(direct)).toEqual(headersOf(viaResponse));
    expect(direct.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(direct.headers.get(name)).toBe(value);
    expect(await direct.text()).toBe(await viaResponse.text());
  });

  it("a document's HEAD has its headers and no body; other methods are not served from the document", async () => {
    const head = await fetch(`${origin}/document`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(await head.text()).toBe("");
    const post = await fetch(`${origin}/document`, { method: "POST" });
    expect(post.headers.get("x-served-by")).toBe("fallback");
  });

  it("a document that cannot be read is answered by its handler (its error response)", async () => {
    const response = await fetch(`${origin}/document-failing`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "server_error" });
  });

  it("answers a handler that throws with a bare server_error", async () => {
    const response = await fetch(`${origin}/broken`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "server_error" });
  });

  it("reads at most one byte past the form limit, so the handler refuses it, and closes the connection", async () => {
    const body = "a=" + "x".repeat(MAX_FORM_BYTES * 4);
    const response = await new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      const req = http.request(`${origin}/echo`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }));
      });
      req.on("error", reject);
      // Chunked: no Content-Length for anyone to check first.
      req.write(body.slice(0, MAX_FORM_BYTES));
      req.end(body.slice(MAX_FORM_BYTES));
    });
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toEqual({ length: MAX_FORM_BYTES + 1 });
    expect(response.connection).toBe("close");
  });
});
