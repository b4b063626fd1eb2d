import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase, testDatabases, TEST_ISSUER, type TestDatabase } from "@/tests/databases";
import { createUser } from "../auth/users";
import { authorize, consentView } from "../oauth/authorize/flow";
import { authenticateClient } from "../oauth/client-auth";
import type { OAuthError } from "../oauth/oauth-error";
import { updateProjectSettings } from "../settings";
import { createApp } from "./apps";
import { cimdFreshness, refreshCimdApp, refreshStaleCimdApps, resolveCimdApp } from "./cimd";
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { DEFAULT_SCOPES } from "./policy";
import { parseCimdConfig, type CimdConfig } from "./cimd-config";
import { cimdRefusal, isCimdError } from "./cimd-errors";
import { cimdGuards } from "./cimd-guards";
import { CIMD_FETCH_FAILED } from "./cimd-fetch";
import { validateMetadataDocument } from "./cimd-document";
import { startTestDocumentServer, type TestDocumentServer } from "./cimd-test-server";

const ID = "https://app.example/client.json";
const valid = { client_id: ID, client_name: "Example CLI", redirect_uris: ["http://127.0.0.1/callback"] };
const problem = (body: unknown, id = ID) => {
  try {
    validateMetadataDocument(id, body);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

describe("validateMetadataDocument", () => {
  it("accepts a minimal document and keeps the fields the app needs", () => {
    expect(validateMetadataDocument(ID, { ...valid, logo_uri: "https://cdn.example/l.png", client_uri: "https://app.example/about", token_endpoint_auth_method: "none" })).toEqual({
      name: "Example CLI",
      logoUri: "https://cdn.example/l.png",
      clientUri: "https://app.example/about",
      redirectUris: ["http://127.0.0.1/callback"],
      authMethod: "none",
      jwks: null,
      jwksUri: null,
    });
  });

  it("accepts private_key_jwt with keys, under the confidential redirect rule (https only)", () => {
    const keyed = { ...valid, redirect_uris: ["https://app.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks_uri: "https://app.example/jwks.json" };
    expect(validateMetadataDocument(ID, keyed)).toMatchObject({ authMethod: "private_key_jwt", jwksUri: "https://app.example/jwks.json", jwks: null });
    expect(problem({ ...keyed, redirect_uris: ["http://127.0.0.1/callback"] })).toContain("redirect_uri http://127.0.0.1/callback");
  });

  it.each([
    ["not an object", [valid], "JSON object"],
    ["mismatched client_id", { ...valid, client_id: "https://app.example/other.json" }, "client_id must be exactly"],
    ["client_id differing only by a trailing slash", { ...valid, client_id: `${ID}/` }, "client_id must be exactly"],
    ["a client_secret", { ...valid, client_secret: "s3cret" }, "client_secret"],
    ["a shared-secret auth method", { ...valid, token_endpoint_auth_method: "client_secret_basic" }, "shared secret"],
    ["client_secret_post", { ...valid, token_endpoint_auth_method: "client_secret_post" }, "shared secret"],
    ["another auth method", { ...valid, token_endpoint_auth_method: "tls_client_auth" }, "must be none or private_key_jwt"],
    ["client_secret_jwt", { ...valid, token_endpoint_auth_method: "client_secret_jwt" }, "shared secret"],
    ["a jwks_uri that is not a string", { ...valid, jwks_uri: 42 }, "jwks_uri"],
    ["no client_name", { ...valid, client_name: undefined }, "client_name"],
    ["blank client_name", { ...valid, client_name: "  " }, "client_name"],
    ["no redirect_uris", { ...valid, redirect_uris: undefined }, "redirect_uris"],
    ["empty redirect_uris", { ...valid, redirect_uris: [] }, "redirect_uris"],
    ["an http non-loopback redirect", { ...valid, redirect_uris: ["http://app.example/cb"] }, "redirect_uri http://app.example/cb"],
    ["a fragment in a redirect", { ...valid, redirect_uris: ["https://app.example/cb#x"] }, "fragment"],
    ["a javascript: redirect", { ...valid, redirect_uris: ["javascript:alert(1)"] }, "javascript"],
    ["cross-origin client_uri", { ...valid, client_uri: "https://evil.example/" }, "same origin"],
    ["client_uri on another port", { ...valid, client_uri: "https://app.example:8443/" }, "same origin"],
    ["http logo_uri", { ...valid, logo_uri: "http://app.example/l.png" }, "logo_uri"],
  ])("refuses %s", (_name, body, message) => {
    expect(problem(body)).toContain(message);
  });
});

describe.each(testDatabases)("metadata document apps on $name", ({ target }) => {
  let db: TestDatabase;
  let server: TestDocumentServer;
  const owner = { type: "system" as const, id: null, label: "test" };
  const config: CimdConfig = {
    ...parseCimdConfig({}),
    fetchTimeoutMs: 2000,
    allowLoopback: true,
    cacheMinSeconds: 300,
    cacheMaxSeconds: 3600,
    testCaFile: path.join(import.meta.dirname, "testdata/cimd-test-localhost.crt"),
  };
  const document = (p: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const url = `${server.origin}${p}`;
    server.json(p, { client_id: url, client_name: `App ${p}`, redirect_uris: ["http://127.0.0.1/callback"], ...extra }, headers);
    return url;
  };
  const failure = (p: Promise<unknown>) => p.then(() => "ok", (e: Error & { code?: string }) => `${e.name}${e.code ? `:${e.code}` : ""}: ${e.message}`);

  beforeAll(async () => {
    // What the wired endpoints read (they take no test options): loopback and the test CA.
    process.env.CIMD_ALLOW_LOOPBACK = "1";
    process.env.CIMD_TEST_CA_FILE = config.testCaFile;
    db = await openTestDatabase(await target());
    server = await startTestDocumentServer();
    await updateProjectSettings(db.prisma, owner, { cimd_enabled: true });
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
  });

  it("stores a valid document as a third-party public app with the default scopes", async () => {
    const url = document("/stored", { logo_uri: "https://cdn.example/logo.png" });
    const app = await resolveCimdApp(db.prisma, url, { config });
    expect(app).toMatchObject({
      clientId: url,
      clientType: "third_party_public",
      creationMethod: "cimd",
      name: "App /stored",
      logoUri: "https://cdn.example/logo.png",
      redirectUris: ["http://127.0.0.1/callback"],
      allowedScopes: DEFAULT_SCOPES,
    });
    expect(app.allowedScopes).not.toContain("full_access");
    expect(await db.prisma.auditEvent.count({ where: { action: "connected_app.created", targetId: url } })).toBe(1);
  });

  it("reports each fetch and document failure distinctly and stores nothing", async () => {
    server.routes.set("/moved", (_q, r) => r.writeHead(302, { Location: `${server.origin}/stored` }).end());
    server.routes.set("/html", (_q, r) => r.writeHead(200, { "Content-Type": "text/html" }).end("<html>"));
    server.routes.set("/huge", (_q, r) => r.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ pad: "x".repeat(6000) })));
    server.routes.set("/slow", () => {});
    const results = {
      redirect: await failure(resolveCimdApp(db.prisma, `${server.origin}/moved`, { config })),
      missing: await failure(resolveCimdApp(db.prisma, `${server.origin}/nothing-here`, { config })),
      html: await failure(resolveCimdApp(db.prisma, `${server.origin}/html`, { config })),
      huge: await failure(resolveCimdApp(db.prisma, `${server.origin}/huge`, { config })),
      slow: await failure(resolveCimdApp(db.prisma, `${server.origin}/slow`, { config: { ...config, fetchTimeoutMs: 300 } })),
      mismatch: await failure(resolveCimdApp(db.prisma, document("/mismatch", { client_id: "https://elsewhere.example/c.json" }), { config })),
      secret: await failure(resolveCimdApp(db.prisma, document("/secret", { client_secret: "x" }), { config })),
      method: await failure(resolveCimdApp(db.prisma, document("/method", { token_endpoint_auth_method: "client_secret_post" }), { config })),
      badRedirect: await failure(resolveCimdApp(db.prisma, document("/bad-redirect", { redirect_uris: ["http://app.example/cb"] }), { config })),
      crossOrigin: await failure(resolveCimdApp(db.prisma, document("/cross", { client_uri: "https://evil.example/" }), { config })),
      loopbackRefused: await failure(resolveCimdApp(db.prisma, document("/private"), { config: { ...config, allowLoopback: false } })),
      // The same URL on both databases: fresh guards, so the first run's failure is not answered from memory.
      privateRefused: await failure(resolveCimdApp(db.prisma, "https://docs.example/c.json", { config, guards: cimdGuards(config), resolve: async () => [{ address: "192.168.1.10", family: 4 }] })),
    };
    expect(results).toMatchObject({
      redirect: expect.stringContaining("CimdFetchError:redirect"),
      missing: expect.stringContaining("CimdFetchError:http_status: The metadata document URL answered HTTP 404"),
      html: expect.stringContaining("CimdFetchError:not_json"),
      huge: expect.stringContaining("CimdFetchError:too_large"),
      slow: expect.stringContaining("CimdFetchError:timeout"),
      mismatch: expect.stringContaining("CimdDocumentError: The metadata document's client_id must be exactly"),
      secret: expect.stringContaining("CimdDocumentError: The metadata document must not contain a client_secret"),
      method: expect.stringContaining("shared secret"),
      badRedirect: expect.stringContaining("redirect_uri http://app.example/cb"),
      crossOrigin: expect.stringContaining("same origin"),
      loopbackRefused: expect.stringContaining("CimdFetchError:address_refused"),
      privateRefused: expect.stringContaining("CimdFetchError:address_refused"),
    });
    expect(await db.prisma.connectedApp.count({ where: { creationMethod: "cimd", clientId: { not: `${server.origin}/stored` } } })).toBe(0);
  });

  it("caches per max-age within the bounds, refetches when stale, and overwrites owner edits", async () => {
    const url = document("/cached", {}, { "Cache-Control": "max-age=30" }); // below the 300 s minimum
    const t0 = new Date("2030-01-01T00:00:00Z");
    const first = await resolveCimdApp(db.prisma, url, { config, now: t0 });
    expect(first.metadataExpiresAt!.getTime() - t0.getTime()).toBe(300_000);
    await db.prisma.connectedApp.update({ where: { clientId: url }, data: { name: "Edited by the owner" } });
    document("/cached", { client_name: "Renamed" }, { "Cache-Control": "max-age=999999" }); // above the 3600 s maximum
    const fresh = await resolveCimdApp(db.prisma, url, { config, now: new Date(t0.getTime() + 299_000) });
    expect(fresh.name).toBe("Edited by the owner");
    expect(server.hits.get("/cached")).toBe(1);
    const later = new Date(t0.getTime() + 301_000);
    const refreshed = await resolveCimdApp(db.prisma, url, { config, now: later });
    expect(refreshed.name).toBe("Renamed");
    expect(refreshed.metadataExpiresAt!.getTime() - later.getTime()).toBe(3_600_000);
    expect(server.hits.get("/cached")).toBe(2);
    // What the dashboard shows: the last fetch and when the document goes stale; nothing for other apps.
    expect(await cimdFreshness(db.prisma, url)).toEqual({ fetchedAt: later, expiresAt: new Date(later.getTime() + 3_600_000) });
    const { app: byHand } = await createApp(db.prisma, owner, { name: "Made by hand", client_type: "third_party_public", redirect_uris: ["https://hand.example/cb"] }, "dashboard");
    expect(await cimdFreshness(db.prisma, byHand.client_id)).toBeNull();
    expect(await cimdFreshness(db.prisma, `${server.origin}/never-seen`)).toBeNull();
  });

  it("a refreshed document that changes the redirect URIs forgets remembered consent; one that does not keeps it", async () => {
    const url = document("/consent-reset");
    const t0 = new Date("2033-01-01T00:00:00Z");
    const app = await resolveCimdApp(db.prisma, url, { config, now: t0 });
    const user = await createUser(db.prisma, { email: "cimd-consent-reset@example.com", password: "correct horse battery" }, "member");
    await db.prisma.grant.create({ data: { userId: user.id, appId: app.id, scopes: ["openid"] } });
    const grants = () => db.prisma.grant.count({ where: { appId: app.id } });
    document("/consent-reset", { client_name: "Renamed, same addresses" });
    await resolveCimdApp(db.prisma, url, { config, now: new Date(t0.getTime() + 4_000_000) });
    expect(await grants()).toBe(1);
    // The document now also sends users elsewhere: they are asked again before anything goes there.
    document("/consent-reset", { redirect_uris: ["http://127.0.0.1/callback", "https://evil.example/new"] });
    await resolveCimdApp(db.prisma, url, { config, now: new Date(t0.getTime() + 8_000_000) });
    expect(await grants()).toBe(0);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "connected_app.updated", targetId: url }, orderBy: { seq: "desc" } });
    expect(event.details).toMatchObject({ changed: expect.arrayContaining(["redirect_uris"]), consent_reset: true });
  });

  it("never stores a failure: a stale app whose document breaks is refused, from memory for CIMD_FAILURE_CACHE_S, until it is fixed", async () => {
    const url = document("/breaks");
    const t0 = new Date("2031-01-01T00:00:00Z");
    const deps = (ms: number) => ({ config, now: new Date(t0.getTime() + ms), guards });
    const guards = cimdGuards(config);
    await resolveCimdApp(db.prisma, url, deps(0));
    server.json("/breaks", { client_id: url, client_name: "Broken", redirect_uris: [] });
    expect(await failure(resolveCimdApp(db.prisma, url, deps(400_000)))).toContain("redirect_uris");
    // Within the minute: the same reason, not fetched again (the log says it was remembered).
    const remembered = await resolveCimdApp(db.prisma, url, deps(459_000)).catch((e: unknown) => e);
    expect(remembered).toMatchObject({ name: "CimdRecentFailureError", publicMessage: expect.stringContaining("redirect_uris") });
    expect(server.hits.get("/breaks")).toBe(2);
    document("/breaks");
    expect(await failure(resolveCimdApp(db.prisma, url, deps(459_000)))).toContain("redirect_uris");
    expect((await resolveCimdApp(db.prisma, url, deps(460_000))).name).toBe("App /breaks");
    expect(server.hits.get("/breaks")).toBe(3);
    expect((await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: url } })).name).toBe("App /breaks");
  });

  it("answers a failing new document from memory for CIMD_FAILURE_CACHE_S: one fetch, the same public reason at both endpoints", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      server.routes.set("/fails-once", (_q, r) => r.writeHead(500).end());
      const url = `${server.origin}/fails-once`;
      const guards = cimdGuards(config);
      const reasons = [];
      for (let i = 0; i < 5; i++) reasons.push(await resolveCimdApp(db.prisma, url, { config, guards }).catch((e: unknown) => (isCimdError(e) ? cimdRefusal(url, e) : e)));
      expect(reasons).toEqual(Array(5).fill(CIMD_FETCH_FAILED));
      expect(server.hits.get("/fails-once")).toBe(1);
      // The wired endpoints (the process's guards): after one fetch, the next requests are answered without fetching.
      const other = `${server.origin}/fails-wired`;
      server.routes.set("/fails-wired", (_q, r) => r.writeHead(503).end());
      for (let i = 0; i < 3; i++) {
        const page = await authorize({ ...db.oauth, issuer: "https://id.example" }, new URLSearchParams({ response_type: "code", client_id: other }), null);
        expect(page).toEqual({
          type: "error_page",
          title: "The app's metadata document was refused",
          description: CIMD_FETCH_FAILED,
          details: { refused: { parameter: "client_id", value: other } },
        });
        expect(await authenticateClient(db.oauth, { clientId: other, secret: null, method: "none" }).catch((e: OAuthError) => e.description)).toBe(
          `Client ID Metadata Document: ${CIMD_FETCH_FAILED}`,
        );
      }
      expect(server.hits.get("/fails-wired")).toBe(1);
      expect(warn.mock.calls.map((call) => String(call[0])).join("\n")).toContain("not fetched again");
    } finally {
      warn.mockRestore();
    }
  });

  it("60 parallel first uses of one document make one fetch and one app; 60 of a failing one, one fetch", async () => {
    const url = document("/popular");
    const served = server.routes.get("/popular")!;
    server.routes.set("/popular", (q, r) => setTimeout(() => served(q, r), 150));
    const guards = cimdGuards(config);
    const apps = await Promise.all(Array.from({ length: 60 }, () => resolveCimdApp(db.prisma, url, { config, guards })));
    expect(new Set(apps.map((app) => app.id)).size).toBe(1);
    expect(server.hits.get("/popular")).toBe(1);
    expect(await db.prisma.connectedApp.count({ where: { clientId: url } })).toBe(1);
    server.routes.set("/popular-broken", (_q, r) => setTimeout(() => r.writeHead(500).end(), 150));
    const broken = `${server.origin}/popular-broken`;
    const reasons = await Promise.all(Array.from({ length: 60 }, () => failure(resolveCimdApp(db.prisma, broken, { config, guards }))));
    expect(new Set(reasons)).toEqual(new Set(["CimdFetchError:http_status: The metadata document URL answered HTTP 500, not 200"]));
    expect(server.hits.get("/popular-broken")).toBe(1);
  });

  it("fetches at most CIMD_MAX_CONCURRENT_FETCHES documents at once; past a bounded wait, one public refusal", async () => {
    let open = 0;
    let most = 0;
    const urls = Array.from({ length: 8 }, (_, i) => {
      const url = document(`/capped-${i}`);
      const served = server.routes.get(`/capped-${i}`)!;
      server.routes.set(`/capped-${i}`, (q, r) => {
        most = Math.max(most, ++open);
        setTimeout(() => {
          open--;
          served(q, r);
        }, 100);
      });
      return url;
    });
    // A long wait allowed: this part is about the cap, not the refusal (a loaded machine is slow).
    const capped = { ...config, maxConcurrentFetches: 3, fetchTimeoutMs: 15_000 };
    const guards = cimdGuards(capped);
    const apps = await Promise.all(urls.map((url) => resolveCimdApp(db.prisma, url, { config: capped, guards })));
    expect(apps.map((app) => app.clientId)).toEqual(urls);
    expect(most).toBe(3);
    // Every slot taken and not given back within the wait (one fetch timeout): refused without a fetch.
    const one = { ...config, maxConcurrentFetches: 1, fetchTimeoutMs: 200 };
    const busy = cimdGuards(one);
    let release!: () => void;
    const holder = busy.fetches.run(() => new Promise<void>((resolve) => (release = resolve)), 1000, () => new Error("unexpected"));
    const waiting = document("/waits");
    const refused = await resolveCimdApp(db.prisma, waiting, { config: one, guards: busy }).catch((e: unknown) => e);
    release();
    await holder;
    expect(refused).toMatchObject({ name: "CimdBusyError", publicMessage: "The server is fetching too many metadata documents at once; try again in a moment" });
    expect((refused as Error).message).toContain("within 200 ms");
    expect(server.hits.get("/waits")).toBeUndefined();
    // Not the document's fault: not remembered, the next request fetches.
    expect((await resolveCimdApp(db.prisma, waiting, { config: { ...one, fetchTimeoutMs: 15_000 }, guards: busy })).clientId).toBe(waiting);
  });

  it("limits new apps per source (CIMD_RATE_LIMIT): refused before fetching, only stored apps count, other sources and known apps unaffected", async () => {
    const limited = { ...config, rateLimit: 2, rateLimitWindowSeconds: 600 };
    const guards = cimdGuards(limited);
    const t0 = new Date("2035-01-01T00:00:10Z");
    const from = (source: string, url: string, now = t0) => resolveCimdApp(db.prisma, url, { config: limited, guards, now }, { source });
    // Failing documents do not use up the bucket.
    expect(await failure(from("203.0.113.7", `${server.origin}/limit-missing.json`))).toContain("http_status");
    await from("203.0.113.7", document("/limit-1"));
    await from("203.0.113.7", document("/limit-2"));
    const third = document("/limit-3");
    const refused = await from("203.0.113.7", third).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: "CimdRateLimitError", retryAfter: 590 });
    expect((refused as Error).message).toBe("Too many new apps from metadata documents recently; try again in 590 seconds");
    expect(server.hits.get("/limit-3")).toBeUndefined();
    // Another source, a known app gone stale, and the next window are not held up.
    expect((await from("198.51.100.4", third)).clientId).toBe(third);
    expect((await from("203.0.113.7", `${server.origin}/limit-1`, new Date(t0.getTime() + 400_000))).clientId).toBe(`${server.origin}/limit-1`);
    expect((await from("203.0.113.7", document("/limit-4"), new Date(t0.getTime() + 600_000))).clientId).toBe(`${server.origin}/limit-4`);
    const windows = await db.prisma.rateLimitWindow.findMany({ where: { key: { in: ["cimd:198.51.100.4", "cimd:203.0.113.7"] } }, orderBy: [{ key: "asc" }, { windowStart: "asc" }] });
    expect(windows.map((w) => [w.key, w.count])).toEqual([
      ["cimd:198.51.100.4", 1],
      ["cimd:203.0.113.7", 1],
    ]);
  });

  it("parallel first uses of many documents from one source store no more than the limit", async () => {
    const limited = { ...config, rateLimit: 3, rateLimitWindowSeconds: 600 };
    const guards = cimdGuards(limited);
    const now = new Date("2036-01-01T00:00:00Z");
    const urls = Array.from({ length: 10 }, (_, i) => document(`/flood-${i}`));
    const outcomes = await Promise.all(urls.map((url) => resolveCimdApp(db.prisma, url, { config: limited, guards, now }, { source: "192.0.2.99" }).then(() => "created", (e: Error) => e.name)));
    expect(outcomes.filter((o) => o === "created")).toHaveLength(3);
    expect(outcomes.filter((o) => o === "CimdRateLimitError")).toHaveLength(7);
    expect(await db.prisma.connectedApp.count({ where: { clientId: { in: urls } } })).toBe(3);
  });

  it("both endpoints count a new app against the requester's source", async () => {
    const authz = document("/source-authorize");
    await authorize({ ...db.oauth, issuer: "https://id.example" }, new URLSearchParams({ response_type: "code", client_id: authz }), null, new Date(), { source: "203.0.113.50" });
    const token = document("/source-token");
    await authenticateClient(db.oauth, { clientId: token, secret: null, method: "none" }, { source: "203.0.113.51" });
    const keys = (await db.prisma.rateLimitWindow.findMany({ where: { key: { in: ["cimd:203.0.113.50", "cimd:203.0.113.51"] } } })).map((w) => [w.key, w.count]);
    expect(keys.sort()).toEqual([
      ["cimd:203.0.113.50", 1],
      ["cimd:203.0.113.51", 1],
    ]);
  });

  it("periodic refresh updates stale documents of authorized apps and leaves failing ones stale", async () => {
    const ok = document("/periodic-ok");
    const bad = document("/periodic-bad");
    const t0 = new Date("2032-01-01T00:00:00Z");
    const user = await createUser(db.prisma, { email: "cimd-periodic@example.com", password: "correct horse battery" }, "member");
    for (const url of [ok, bad]) {
      const app = await resolveCimdApp(db.prisma, url, { config, now: t0 });
      await db.prisma.grant.create({ data: { userId: user.id, appId: app.id, scopes: ["openid"] } });
    }
    document("/periodic-ok", { client_name: "Periodic renamed" });
    server.routes.set("/periodic-bad", (_q, r) => r.writeHead(500).end());
    const result = await refreshStaleCimdApps(db.prisma, { config, now: new Date(t0.getTime() + 3_000_000) });
    expect(result.failed).toBeGreaterThanOrEqual(1);
    expect((await db.prisma.connectedApp.findUnique({ where: { clientId: ok } }))!.name).toBe("Periodic renamed");
    const stale = (await db.prisma.connectedApp.findUnique({ where: { clientId: bad } }))!;
    expect(stale.metadataExpiresAt!.getTime()).toBeLessThan(t0.getTime() + 3_000_000);
  });

  it("periodic refresh leaves the documents of apps nobody authorized alone (their next use fetches them)", async () => {
    const unused = document("/periodic-unused");
    const t0 = new Date("2037-01-01T00:00:00Z");
    await resolveCimdApp(db.prisma, unused, { config, now: t0 });
    await refreshStaleCimdApps(db.prisma, { config, now: new Date(t0.getTime() + 3_000_000) });
    expect(server.hits.get("/periodic-unused")).toBe(1);
  });

  it("token endpoint client authentication resolves URL client_ids and says what is wrong", async () => {
    const url = document("/token-client");
    const attempt = (clientId: string, secret: string | null = null) =>
      authenticateClient(db.oauth, { clientId, secret, method: secret ? "client_secret_post" : "none" }).then(
        (app) => app.clientId,
        (e: OAuthError) => `${e.code}: ${e.description}`,
      );
    expect(await attempt(url)).toBe(url);
    expect(await attempt(url, "guess")).toBe("invalid_client: Client authentication failed");
    // How the fetch failed (a status, an address, a timeout) is not said to whoever sent the client_id: one reason for all.
    expect(await attempt(`${server.origin}/absent.json`)).toBe(`invalid_client: Client ID Metadata Document: ${CIMD_FETCH_FAILED}`);
    const secretDoc = document("/token-secret", { client_secret: "x" });
    expect(await attempt(secretDoc)).toMatch(/^invalid_client: Client ID Metadata Document: .*client_secret/);
  });

  it("a document declaring private_key_jwt makes a third-party confidential app without a secret, whose keys refresh with the document", async () => {
    const [first, second] = await Promise.all([generateKeyPair("ES256"), generateKeyPair("ES256")]);
    const jwk = async (key: CryptoKey, kid: string) => ({ ...(await exportJWK(key)), kid });
    const keyed = async (kid: string, key: CryptoKey) => ({ redirect_uris: ["https://signer.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [await jwk(key, kid)] } });
    const url = document("/signer", await keyed("first", first.publicKey));
    const signed = (kid: string, key: CryptoKey) =>
      new SignJWT({ jti: randomUUID() }).setProtectedHeader({ alg: "ES256", kid }).setIssuer(url).setSubject(url).setAudience(TEST_ISSUER).setExpirationTime("1m").sign(key);
    const attempt = async (jwt: string) =>
      authenticateClient(db.oauth, { clientId: url, secret: null, method: "private_key_jwt", assertion: jwt }).then((app) => app.clientType, (e: OAuthError) => e.code);

    expect(await attempt(await signed("first", first.privateKey))).toBe("third_party");
    const app = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: url }, include: { secrets: true } });
    expect(app).toMatchObject({ clientType: "third_party", tokenEndpointAuthMethod: "private_key_jwt" });
    expect(app.secrets).toHaveLength(0);
    // The client rotates its key in its document; the next refresh of the document brings it.
    document("/signer", await keyed("second", second.publicKey));
    await refreshCimdApp(db.prisma, url, { config });
    expect(await attempt(await signed("second", second.privateKey))).toBe("third_party");
    expect(await attempt(await signed("first", first.privateKey))).toBe("invalid_client");
    // The type is fixed: a document cannot drop its keys to become a public app.
    document("/signer", { token_endpoint_auth_method: "none" });
    expect(await failure(refreshCimdApp(db.prisma, url, { config }))).toMatch(/CimdDocumentError: token_endpoint_auth_method in the metadata document changed to none/);
    // A private key in a document is refused, saying so.
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const leaky = document("/leaky-signer", { redirect_uris: ["https://signer.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [await exportJWK(privateKey)] } });
    expect(await failure(resolveCimdApp(db.prisma, leaky, { config }))).toMatch(/jwks in the metadata document keys\[0\] is a private key/);
  });

  it("the authorization endpoint uses the document's redirect URIs (loopback any port) and shows document errors", async () => {
    const url = document("/authz");
    const go = (params: Record<string, string>) =>
      authorize({ ...db.oauth, issuer: "https://id.example" }, new URLSearchParams({ response_type: "code", client_id: url, code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256", scope: "openid", ...params }), null);
    expect(await go({ redirect_uri: "http://127.0.0.1:53123/callback" })).toMatchObject({ type: "redirect", location: expect.stringContaining("/signin") });
    expect(await go({ redirect_uri: "http://127.0.0.1:53123/other" })).toMatchObject({ type: "error_page", title: "Unregistered redirect URI" });
    const mismatched = document("/authz-bad", { client_id: "https://elsewhere.example/c.json" });
    expect(await authorize({ ...db.oauth, issuer: "https://id.example" }, new URLSearchParams({ response_type: "code", client_id: mismatched }), null)).toMatchObject({
      type: "error_page",
      title: "The app's metadata document was refused",
      description: expect.stringContaining("client_id must be exactly"),
    });
  });

  it("fetch failures are one public reason at both endpoints, with the details in the server log only", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      server.routes.set("/status-500", (_q, r) => r.writeHead(500).end());
      const failures = [`${server.origin}/status-500`, `${server.origin}/nothing-at-all.json`, "https://no-such-host.invalid/c.json"];
      for (const clientId of failures) {
        const page = await authorize({ ...db.oauth, issuer: "https://id.example" }, new URLSearchParams({ response_type: "code", client_id: clientId }), null);
        expect(page).toEqual({
          type: "error_page",
          title: "The app's metadata document was refused",
          description: CIMD_FETCH_FAILED,
          details: { refused: { parameter: "client_id", value: clientId } },
        });
        const refusal = await authenticateClient(db.oauth, { clientId, secret: null, method: "none" }).catch((e: OAuthError) => e.description);
        expect(refusal).toBe(`Client ID Metadata Document: ${CIMD_FETCH_FAILED}`);
      }
      const logged = warn.mock.calls.map((call) => String(call[0])).join("\n");
      expect(logged).toContain("HTTP 500");
      expect(logged).toContain("HTTP 404");
      expect(logged).toContain("no-such-host.invalid");
    } finally {
      warn.mockRestore();
    }
  });

  it("the consent page shows the client_id host beside the document's name and warns about localhost", async () => {
    const url = document("/consent", { client_name: "Consent CLI", logo_uri: "https://cdn.example/c.png" });
    const user = await createUser(db.prisma, { email: "cimd-consent@example.com", password: "correct horse battery" }, "member");
    const session = { userId: user.id, authTime: new Date(Date.now() - 60_000) };
    const outcome = await authorize(
      { ...db.oauth, issuer: "https://id.example" },
      new URLSearchParams({ response_type: "code", client_id: url, code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256", scope: "openid" }),
      session,
    );
    if (outcome.type !== "redirect" || !outcome.setBinding) throw new Error(`expected the consent page, got ${JSON.stringify(outcome)}`);
    expect(outcome.location).toContain("/consent");
    const view = await consentView(db.oauth, { requestId: outcome.setBinding.id, bindingSecret: outcome.setBinding.secret }, session);
    if (view.type !== "view") throw new Error(`expected a view, got ${JSON.stringify(view)}`);
    expect(view.view.app).toMatchObject({
      name: "Consent CLI",
      logoUri: "https://cdn.example/c.png",
      clientIdHost: new URL(server.origin).host,
      ownership: "third_party",
      localhostOnly: true,
      // Self-registered: where the user goes next is shown, since name and logo are the app's own claim.
      redirectHost: expect.stringMatching(/^127\.0\.0\.1(:\d+)?$/),
    });
  });

  it("refuses a document naming itself like one of the project's own apps, in any case, when created or refreshed", async () => {
    await createApp(db.prisma, owner, { name: "Acme Web", client_type: "first_party", redirect_uris: ["https://acme.example/cb"] }, "dashboard");
    const posing = document("/posing", { client_name: "ACME web " });
    expect(await failure(resolveCimdApp(db.prisma, posing, { config }))).toContain("name in the metadata document is the name of one of this project's own apps");
    expect(await db.prisma.connectedApp.count({ where: { clientId: posing } })).toBe(0);
    const t0 = new Date("2034-01-01T00:00:00Z");
    const later = document("/posing-later");
    await resolveCimdApp(db.prisma, later, { config, now: t0 });
    document("/posing-later", { client_name: "Acme Web" });
    expect(await failure(resolveCimdApp(db.prisma, later, { config, now: new Date(t0.getTime() + 4_000_000) }))).toContain("own apps");
  });

  it("refuses URL client_ids while CIMD is off, even a stored one", async () => {
    const url = document("/toggle");
    await resolveCimdApp(db.prisma, url, { config });
    await updateProjectSettings(db.prisma, owner, { cimd_enabled: false });
    try {
      expect(await failure(resolveCimdApp(db.prisma, url, { config }))).toContain("CimdDisabledError");
      expect(await authenticateClient(db.oauth, { clientId: url, secret: null, method: "none" }).catch((e: OAuthError) => e.description)).toContain("not enabled");
      expect(await refreshStaleCimdApps(db.prisma, { config, now: new Date("2099-01-01") })).toEqual({ refreshed: 0, failed: 0 });
    } finally {
      await updateProjectSettings(db.prisma, owner, { cimd_enabled: true });
    }
  });
});
