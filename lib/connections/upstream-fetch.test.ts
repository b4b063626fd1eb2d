import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UPSTREAM_MAX_BYTES, upstreamFetch } from "./upstream-fetch";

describe("requests to an upstream identity provider", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/big") {
        // No Content-Length: the cap must hold while reading, not only on what the upstream declares.
        res.writeHead(200, { "Content-Type": "application/json" });
        res.write("x".repeat(UPSTREAM_MAX_BYTES));
        res.end("x");
      } else if (req.url === "/declared") {
        res.writeHead(200, { "Content-Length": String(UPSTREAM_MAX_BYTES + 1) });
        res.end("x".repeat(UPSTREAM_MAX_BYTES + 1));
      } else if (req.url === "/redirect") {
        res.writeHead(302, { Location: "/small" });
        res.end();
      } else {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end('{"ok":true}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("hands over a small answer as it came", async () => {
    const response = await upstreamFetch(`${base}/small`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("refuses an answer beyond the size limit, declared or not", async () => {
    await expect(upstreamFetch(`${base}/big`)).rejects.toMatchObject({ name: "UpstreamError", reason: "too_large" });
    await expect(upstreamFetch(`${base}/declared`)).rejects.toMatchObject({ name: "UpstreamError", reason: "too_large" });
  });

  it("does not follow redirects", async () => {
    const response = await upstreamFetch(`${base}/redirect`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/small");
  });
});
