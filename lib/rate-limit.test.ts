import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { hitRateLimit, peekRateLimit, sourceBucket } from "./rate-limit";

describe.each(testDatabases)("database rate limit on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("counts per key and fixed window, says how long to wait, and clears finished windows", async () => {
    const t0 = new Date("2030-01-01T10:00:10Z");
    const hit = (key: string, at: Date) => hitRateLimit(db.prisma, key, 2, 60, at);
    expect(await hit("a", t0)).toEqual({ allowed: true, count: 1 });
    expect(await hit("a", new Date(t0.getTime() + 1000))).toEqual({ allowed: true, count: 2 });
    expect(await hit("a", new Date(t0.getTime() + 20_000))).toEqual({ allowed: false, count: 3, retryAfter: 30 });
    expect(await hit("b", t0)).toEqual({ allowed: true, count: 1 });
    // The next window starts afresh, and its first hit deletes the old window of that key only.
    expect(await hit("a", new Date("2030-01-01T10:01:00Z"))).toEqual({ allowed: true, count: 1 });
    const rows = await db.prisma.rateLimitWindow.findMany({ orderBy: [{ key: "asc" }, { windowStart: "asc" }] });
    expect(rows.map((r) => [r.key, r.windowStart.toISOString(), r.count])).toEqual([
      ["a", "2030-01-01T10:01:00.000Z", 1],
      ["b", "2030-01-01T10:00:00.000Z", 1],
    ]);
  });

  it("peeks at whether one more hit would be allowed, without counting it", async () => {
    const t0 = new Date("2031-01-01T10:00:10Z");
    const peek = () => peekRateLimit(db.prisma, "peek", 2, 60, t0);
    expect(await peek()).toEqual({ allowed: true, count: 0 });
    expect(await peek()).toEqual({ allowed: true, count: 0 });
    await hitRateLimit(db.prisma, "peek", 2, 60, t0);
    expect(await peek()).toEqual({ allowed: true, count: 1 });
    await hitRateLimit(db.prisma, "peek", 2, 60, t0);
    expect(await peek()).toEqual({ allowed: false, count: 2, retryAfter: 50 });
    // The next window is another count.
    expect(await peekRateLimit(db.prisma, "peek", 2, 60, new Date("2031-01-01T10:01:00Z"))).toEqual({ allowed: true, count: 0 });
  });
});

describe("source bucket", () => {
  it("uses the last X-Forwarded-For entry (the one the trusted proxy added) only when the proxy is trusted", () => {
    // A client sent 203.0.113.9 itself; an appending proxy added the address it saw.
    const headers = new Headers({ "x-forwarded-for": " 203.0.113.9 , 10.0.0.1 " });
    expect(sourceBucket(headers, true)).toBe("10.0.0.1");
    expect(sourceBucket(headers, false)).toBe("global");
    expect(sourceBucket(new Headers(), true)).toBe("unknown");
  });
});
