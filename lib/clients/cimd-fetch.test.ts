import { getDefaultAutoSelectFamily, setDefaultAutoSelectFamily } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressProblem } from "./cimd-address";
import { cimdUrlProblem, fetchMetadataDocument, MAX_DOCUMENT_BYTES, type CimdFetchOptions } from "./cimd-fetch";
import { startTestDocumentServer, TEST_CA, type TestDocumentServer } from "./cimd-test-server";

describe("addressProblem", () => {
  const refused = [
    "127.0.0.1", "127.255.0.9", "::1", "0:0:0:0:0:0:0:1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
    "169.254.169.254", "100.64.0.1", "100.127.255.254", "224.0.0.1", "239.255.255.250", "0.0.0.0", "0.1.2.3",
    "255.255.255.255", "240.0.0.1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "fe80::1%eth0", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:ffff:10.0.0.1", "::ffff:a9fe:a9fe", "::ffff:192.168.0.1",
    "64:ff9b::a00:1", "2002:a00:1::", "2001:db8::1", "[::1]",
  ];
  it.each(refused)("refuses %s", (address) => {
    expect(addressProblem(address, { allowLoopback: false })).not.toBeNull();
  });

  const allowed = ["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "169.255.0.1", "2606:4700::6810:84e5", "::ffff:8.8.8.8"];
  it.each(allowed)("allows %s", (address) => {
    expect(addressProblem(address, { allowLoopback: false })).toBeNull();
  });

  it("lets loopback through only when the operator allows it, and nothing else with it", () => {
    for (const a of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) expect(addressProblem(a, { allowLoopback: true })).toBeNull();
    for (const a of ["10.0.0.1", "169.254.169.254", "fe80::1", "::ffff:10.0.0.1", "0.0.0.0"]) {
      expect(addressProblem(a, { allowLoopback: true })).not.toBeNull();
    }
    expect(addressProblem("not-an-ip", { allowLoopback: true })).not.toBeNull();
  });
});

describe("cimdUrlProblem", () => {
  it.each([
    ["https://app.example/client.json", null],
    ["https://app.example/c?v=1", null],
    ["http://app.example/client.json", "https"],
    ["https://app.example/", "path"],
    ["https://app.example", "path"],
    ["https://app.example/client.json#x", "fragment"],
    ["https://u:p@app.example/client.json", "password"],
    ["https://u@app.example/client.json", "user name or password"],
    ["https://:p@app.example/client.json", "user name or password"],
    ["https://app.example/a/../client.json", ". or .."],
    ["https://app.example/./client.json", ". or .."],
    ["https://app.example/a/%2E%2E/client.json", ". or .."],
    ["https://app.example/a/%2e%2E/client.json", ". or .."],
    ["https://app.example/%2e/client.json", ". or .."],
    ["https://app.example/.%2E/client.json", ". or .."],
    // Dots are refused only as a whole path segment.
    ["https://app.example/.well-known/client.json", null],
    ["https://app.example/a..b/client.json", null],
    ["https://app.example/v2../client.json", null],
    ["https://app.example/.../client.json", null],
    ["https://app.example/a/%2e%2ex/client.json", null],
    // The rule is about the path: a host written with dots is the resolver's business.
    ["https://../client.json", null],
    ["https://APP.example/client.json", "canonical"],
    ["ca_abc", "not a URL"],
  ])("%s", (url, expected) => {
    const problem = cimdUrlProblem(url);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe("fetchMetadataDocument against a local https server", () => {
  let server: TestDocumentServer;
  const options: CimdFetchOptions = { timeoutMs: 1500, allowLoopback: true, ca: TEST_CA };
  const code = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string; message: string }) => e.code ?? e.message);
  const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable("the fetch succeeded"), (e: unknown) => e);
  beforeAll(async () => {
    server = await startTestDocumentServer();
    server.routes.set("/redirect", (_q, r) => r.writeHead(302, { Location: `${server.origin}/ok` }).end());
    server.routes.set("/text", (_q, r) => r.writeHead(200, { "Content-Type": "text/html" }).end("{}"));
    server.routes.set("/broken", (_q, r) => r.writeHead(200, { "Content-Type": "application/json" }).end("{not json"));
    server.routes.set("/big", (_q, r) => {
      r.writeHead(200, { "Content-Type": "application/json" });
      r.end(JSON.stringify({ pad: "x".repeat(MAX_DOCUMENT_BYTES) }));
    });
    server.routes.set("/big-chunked", (_q, r) => {
      r.writeHead(200, { "Content-Type": "application/json" });
      // No Content-Length: the cap must stop reading a stream that never ends.
      const tick = setInterval(() => r.write("x".repeat(1024)), 5);
      r.on("close", () => clearInterval(tick));
    });
    server.routes.set("/slow", () => {}); // never answers
  });
  afterAll(async () => {
    await server?.close();
  });

  it("returns the JSON and its Cache-Control max-age", async () => {
    const url = server.json("/ok", { client_id: "x" }, { "Cache-Control": "public, max-age=600" });
    expect(await fetchMetadataDocument(url, options)).toEqual({ body: { client_id: "x" }, maxAgeSeconds: 600 });
    const vendor = `${server.origin}/vendor`;
    server.routes.set("/vendor", (_q, r) => r.writeHead(200, { "Content-Type": "application/ld+json; charset=utf-8", "Cache-Control": "no-store" }).end("[1]"));
    expect(await fetchMetadataDocument(vendor, options)).toEqual({ body: [1], maxAgeSeconds: 0 });
  });

  it("gives each failure its own error", async () => {
    expect(await code(fetchMetadataDocument(`${server.origin}/redirect`, options))).toBe("redirect");
    expect(server.hits.get("/ok") ?? 0).toBe(1); // the redirect was not followed
    expect(await code(fetchMetadataDocument(`${server.origin}/missing`, options))).toBe("http_status");
    expect(await code(fetchMetadataDocument(`${server.origin}/text`, options))).toBe("not_json");
    expect(await code(fetchMetadataDocument(`${server.origin}/broken`, options))).toBe("invalid_json");
    expect(await code(fetchMetadataDocument(`${server.origin}/big`, options))).toBe("too_large");
    expect(await code(fetchMetadataDocument(`${server.origin}/big-chunked`, options))).toBe("too_large");
    expect(await code(fetchMetadataDocument(`${server.origin}/slow`, { ...options, timeoutMs: 300 }))).toBe("timeout");
    expect(await code(fetchMetadataDocument(`${server.origin}/#x`, options))).toBe("invalid_url");
  });

  // draft-ietf-oauth-client-id-metadata-document: at most 5 KB. Declared (Content-Length) and streamed (chunked) alike.
  it.each([
    [5120, "Content-Length", "ok"],
    [5121, "Content-Length", "too_large"],
    [5120, "chunked", "ok"],
    [5121, "chunked", "too_large"],
  ])("a document of %i bytes (%s): %s", async (bytes, framing, expected) => {
    const body = `{"pad":"${"x".repeat(bytes - 10)}"}`;
    expect(Buffer.byteLength(body)).toBe(bytes);
    const route = `/size-${bytes}-${framing}`;
    server.routes.set(route, (_q, r) => {
      if (framing === "chunked") {
        r.writeHead(200, { "Content-Type": "application/json" });
        for (let i = 0; i < body.length; i += 1000) r.write(body.slice(i, i + 1000));
        r.end();
      } else {
        r.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(bytes) }).end(body);
      }
    });
    expect(await code(fetchMetadataDocument(`${server.origin}${route}`, options))).toBe(expected);
  });

  it.each([
    [5120, "timeout"],
    [5121, "too_large"],
  ])("a declared Content-Length of %i, body never finished: %s (refused before reading)", async (declared, expected) => {
    const route = `/declared-${declared}`;
    server.routes.set(route, (_q, r) => {
      r.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(declared) });
      r.write("{");
    });
    expect(await code(fetchMetadataDocument(`${server.origin}${route}`, { ...options, timeoutMs: 300 }))).toBe(expected);
  });

  it("refuses loopback unless allowed, and private addresses after resolving the name", async () => {
    const url = server.json("/private", { client_id: "x" });
    expect(await code(fetchMetadataDocument(url, { ...options, allowLoopback: false }))).toBe("address_refused");
    const resolve = async () => [{ address: "10.0.0.7", family: 4 }];
    expect(await code(fetchMetadataDocument("https://docs.example/c.json", { ...options, resolve }))).toBe("address_refused");
    const mixed = async () => [{ address: "93.184.215.14", family: 4 }, { address: "::ffff:192.168.0.1", family: 6 }];
    expect(await code(fetchMetadataDocument("https://docs.example/c.json", { ...options, resolve: mixed }))).toBe("address_refused");
    expect(server.hits.get("/private") ?? 0).toBe(0);
  });

  it("connects to the checked address while TLS checks the hostname", async () => {
    const port = new URL(server.origin).port;
    server.json("/named", { ok: true });
    let lookups = 0;
    const resolve = async () => {
      lookups++;
      return [{ address: "127.0.0.1", family: 4 }];
    };
    expect((await fetchMetadataDocument(`https://localhost:${port}/named`, { ...options, resolve })).body).toEqual({ ok: true });
    expect(lookups).toBe(1);
    // Without the test CA the self-signed certificate is refused.
    expect(await code(fetchMetadataDocument(`https://localhost:${port}/named`, { ...options, resolve, ca: undefined }))).toBe("network");
  });

  it("asks for the document with GET and Accept: application/json", async () => {
    const seen: string[] = [];
    server.routes.set("/request", (q, r) => {
      seen.push(`${q.method} ${q.headers.accept}`);
      r.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
    await fetchMetadataDocument(`${server.origin}/request`, options);
    expect(seen).toEqual(["GET application/json"]);
  });

  it("sends the host name for TLS (SNI), and none for an IP address (RFC 6066)", async () => {
    const sni: unknown[] = [];
    server.routes.set("/sni", (q, r) => {
      sni.push((q.socket as TLSSocket).servername);
      r.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
    const port = new URL(server.origin).port;
    await fetchMetadataDocument(`${server.origin}/sni`, options);
    await fetchMetadataDocument(`https://localhost:${port}/sni`, { ...options, resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    expect(sni).toEqual([false, "localhost"]);
  });

  // RFC 9111 §5.2: no-store and no-cache mean "do not reuse"; max-age is exactly that directive, in delta-seconds.
  it.each([
    [undefined, null],
    ["max-age=60", 60],
    ["MAX-AGE=60", 60],
    ['max-age="60"', 60],
    ["public,max-age=60 , must-revalidate", 60],
    ["no-store", 0],
    ["no-cache", 0],
    ["No-Cache", 0],
    ["max-age=60, no-store", 0],
    ["no-cache, max-age=60", 0],
    ["private, max-age=60, no-cache", 0],
    ["s-maxage=30", null],
    ["s-maxage=30, max-age=60", 60],
    ["xmax-age=5", null],
    ["max-age=5x", null],
    ["max-age=60, max-age=5x", 60],
    ["max-age=", null],
    ["max-age=12345678901", null],
    ["no-cache-please, max-age=60", 60],
  ])("Cache-Control %j: maxAgeSeconds %j", async (cacheControl, expected) => {
    const route = `/cache-${encodeURIComponent(String(cacheControl))}`;
    server.json(route, { ok: true }, cacheControl === undefined ? {} : { "Cache-Control": cacheControl });
    expect((await fetchMetadataDocument(`${server.origin}${route}`, options)).maxAgeSeconds).toBe(expected);
  });

  it.each([
    ["application/json", "ok"],
    ["application/json; charset=utf-8", "ok"],
    ["application/json ; charset=utf-8", "ok"],
    ["Application/JSON", "ok"],
    ["application/foo+json", "ok"],
    ["application/json-patch+json", "ok"],
    [undefined, "not_json"],
    ["", "not_json"],
    ["text/json", "not_json"],
    ["text/plain", "not_json"],
    ["xapplication/json", "not_json"],
    ["xapplication/foo+json", "not_json"],
    ["application/+json", "not_json"],
    ["application/json-seq", "not_json"],
    ["application/geo+json-seq", "not_json"],
    ["application/jsonp", "not_json"],
  ])("Content-Type %j: %s", async (contentType, expected) => {
    const route = `/type-${encodeURIComponent(String(contentType))}`;
    server.routes.set(route, (_q, r) => {
      if (contentType !== undefined) r.setHeader("Content-Type", contentType);
      r.end("{}");
    });
    expect(await code(fetchMetadataDocument(`${server.origin}${route}`, options))).toBe(expected);
  });

  it.each([
    [200, "ok"],
    [201, "http_status"],
    [299, "http_status"],
    [300, "redirect"],
    [301, "redirect"],
    [307, "redirect"],
    [308, "redirect"],
    [399, "redirect"],
    [400, "http_status"],
    [500, "http_status"],
  ])("HTTP %i: %s", async (status, expected) => {
    const route = `/status-${status}`;
    server.routes.set(route, (_q, r) => r.writeHead(status, { "Content-Type": "application/json", Location: `${server.origin}/ok` }).end("{}"));
    expect(await code(fetchMetadataDocument(`${server.origin}${route}`, options))).toBe(expected);
  });

  it("dns_failed when the name does not resolve or has no addresses", async () => {
    const notFound = Object.assign(new Error("getaddrinfo ENOTFOUND docs.example"), { code: "ENOTFOUND" });
    const failed = await failure(fetchMetadataDocument("https://docs.example/c.json", { ...options, resolve: () => Promise.reject(notFound) }));
    expect(failed).toMatchObject({ code: "dns_failed", cause: notFound });
    expect(await code(fetchMetadataDocument("https://docs.example/c.json", { ...options, resolve: async () => [] }))).toBe("dns_failed");
  });

  it("the deadline covers a resolver that never answers", async () => {
    const started = Date.now();
    expect(await code(fetchMetadataDocument("https://docs.example/c.json", { ...options, timeoutMs: 100, resolve: () => new Promise(() => {}) }))).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1000);
  }, 10_000);

  // An IP address host is checked like a resolved one; URLs never carry the other spellings (not canonical).
  it.each([
    ["https://127.0.0.1/c.json", "address_refused"],
    ["https://[::1]/c.json", "address_refused"],
    ["https://[::ffff:7f00:1]/c.json", "address_refused"],
    ["https://[::ffff:127.0.0.1]/c.json", "invalid_url"],
    ["https://0x7f000001/c.json", "invalid_url"],
    ["https://10.0.0.1/c.json", "address_refused"],
    ["https://169.254.169.254/latest/meta-data", "address_refused"],
    ["https://[fe80::1]/c.json", "address_refused"],
    ["https://[fe80::1%25eth0]/c.json", "invalid_url"],
    ["https://[64:ff9b::a00:1]/c.json", "address_refused"],
  ])("%s: %s", async (url, expected) => {
    expect(await code(fetchMetadataDocument(url, { ...options, allowLoopback: false }))).toBe(expected);
  });

  it("network when the server cannot be reached, fails TLS or drops the connection mid-document", async () => {
    const closed = await startTestDocumentServer();
    const closedOrigin = closed.origin;
    await closed.close();
    expect(await failure(fetchMetadataDocument(`${closedOrigin}/c.json`, options))).toMatchObject({ code: "network", cause: { code: "ECONNREFUSED" } });
    expect(await failure(fetchMetadataDocument(`${server.origin}/ok`, { ...options, ca: undefined }))).toMatchObject({ code: "network", cause: { code: "DEPTH_ZERO_SELF_SIGNED_CERT" } });
    server.routes.set("/dropped", (_q, r) => {
      r.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
      r.write("{", () => r.socket?.destroy());
    });
    const dropped = await failure(fetchMetadataDocument(`${server.origin}/dropped`, options));
    expect(dropped).toMatchObject({ code: "network", cause: { code: "ECONNRESET" } });
  });

  it("connects to a named host with IPv4/IPv6 auto-selection (Happy Eyeballs) on or off", async () => {
    server.json("/autoselect", { ok: true });
    const url = `https://localhost:${new URL(server.origin).port}/autoselect`;
    const resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    const before = getDefaultAutoSelectFamily();
    try {
      for (const autoSelect of [true, false]) {
        setDefaultAutoSelectFamily(autoSelect);
        expect((await fetchMetadataDocument(url, { ...options, resolve })).body, `autoSelectFamily ${autoSelect}`).toEqual({ ok: true });
      }
    } finally {
      setDefaultAutoSelectFamily(before);
    }
  });
});
