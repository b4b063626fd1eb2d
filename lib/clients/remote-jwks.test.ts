import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDocumentServer, TEST_CA, type TestDocumentServer } from "./cimd-test-server";
import { remoteJwksCache } from "./remote-jwks";

const ecKey = (kid: string) => ({ ...generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }), kid });

describe("remoteJwksCache", () => {
  let server: TestDocumentServer;
  let now = 0;
  const cache = () => remoteJwksCache({ fetch: { timeoutMs: 3000, allowLoopback: true, ca: TEST_CA }, clock: () => now });
  beforeAll(async () => {
    server = await startTestDocumentServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("keeps a set for its max-age within 60 s to 1 h, and fetches it again after", async () => {
    const jwks = cache();
    now = 1_000_000;
    const short = server.json("/short", { keys: [ecKey("a")] }, { "Cache-Control": "max-age=5" });
    const long = server.json("/long", { keys: [ecKey("b")] }, { "Cache-Control": "max-age=999999" });
    await jwks.get(short);
    await jwks.get(long);
    now += 59_000;
    await jwks.get(short);
    expect(server.hits.get("/short")).toBe(1);
    now += 2_000;
    await jwks.get(short);
    expect(server.hits.get("/short")).toBe(2);
    now += 3_530_000; // 3591 s after the first fetch
    await jwks.get(long);
    expect(server.hits.get("/long")).toBe(1);
    now += 10_000;
    expect((await jwks.get(long)).keys[0]!.kid).toBe("b");
    expect(server.hits.get("/long")).toBe(2);
  });

  it("shares one fetch among concurrent requests, and refreshes at most once per 30 s", async () => {
    const jwks = cache();
    now = 5_000_000;
    const uri = server.json("/shared", { keys: [ecKey("c")] });
    await Promise.all(Array.from({ length: 20 }, () => jwks.get(uri, { refresh: true })));
    expect(server.hits.get("/shared")).toBe(1);
    now += 29_000;
    await Promise.all(Array.from({ length: 20 }, () => jwks.get(uri, { refresh: true })));
    expect(server.hits.get("/shared")).toBe(1);
    now += 2_000;
    await jwks.get(uri, { refresh: true });
    expect(server.hits.get("/shared")).toBe(2);
  });

  it("remembers a failure for 30 s, and refuses a set holding a private key", async () => {
    const jwks = cache();
    now = 9_000_000;
    const missing = `${server.origin}/missing`;
    await expect(jwks.get(missing)).rejects.toThrow(/JWK Set URL answered HTTP 404/);
    await expect(jwks.get(missing, { refresh: true })).rejects.toThrow(/HTTP 404/);
    expect(server.hits.get("/missing")).toBe(1);
    now += 31_000;
    server.json("/missing", { keys: [ecKey("d")] });
    expect((await jwks.get(missing)).keys[0]!.kid).toBe("d");
    const leaky = server.json("/leaky", { keys: [generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" })] });
    await expect(jwks.get(leaky)).rejects.toThrow(/The JWK Set at .* keys\[0\] is a private key/);
  });

  it("fetches a set again at the very millisecond its max-age ends, and refreshes it as soon as the 30 s cooldown ends", async () => {
    const jwks = cache();
    now = 12_000_000;
    const uri = server.json("/edges", { keys: [ecKey("f")] }, { "Cache-Control": "max-age=60" });
    /** The fetches so far, after asking `ms` later. */
    const fetchesAfter = async (ms: number, refresh = false) => {
      now += ms;
      await jwks.get(uri, { refresh });
      return server.hits.get("/edges");
    };
    expect(await fetchesAfter(0)).toBe(1);
    expect(await fetchesAfter(29_999, true)).toBe(1);
    expect(await fetchesAfter(1, true)).toBe(2); // 30 s after the fetch
    expect(await fetchesAfter(59_999)).toBe(2);
    expect(await fetchesAfter(1)).toBe(3); // 60 s after the last fetch
  });

  it("remembers at most maxEntries URLs, forgetting the least recently fetched", async () => {
    const jwks = remoteJwksCache({ fetch: { timeoutMs: 3000, allowLoopback: true, ca: TEST_CA }, clock: () => now, maxEntries: 2 });
    now = 15_000_000;
    const [a, b, c] = ["a", "b", "c"].map((n) => server.json(`/bounded-${n}`, { keys: [ecKey(n)] }, { "Cache-Control": "max-age=600" }));
    const hits = () => ["a", "b", "c"].map((n) => server.hits.get(`/bounded-${n}`) ?? 0);
    await jwks.get(a!);
    await jwks.get(b!);
    await jwks.get(a!);
    await jwks.get(b!);
    expect(hits()).toEqual([1, 1, 0]); // two URLs: both remembered
    await jwks.get(c!);
    await jwks.get(b!);
    await jwks.get(c!);
    expect(hits()).toEqual([1, 1, 1]);
    await jwks.get(a!); // the first fetched was forgotten
    expect(hits()).toEqual([2, 1, 1]);
  });

  it("refuses loopback addresses unless allowed: the CIMD fetcher's rules", async () => {
    const strict = remoteJwksCache({ fetch: { timeoutMs: 3000, allowLoopback: false, ca: TEST_CA } });
    const uri = server.json("/strict", { keys: [ecKey("e")] });
    await expect(strict.get(uri)).rejects.toThrow(/refused address/);
    expect(server.hits.get("/strict")).toBeUndefined();
  });
});
