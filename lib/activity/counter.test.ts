import { describe, expect, it, vi } from "vitest";
import { activityCounter, hourOf, scheduleActivityFlush, type ActivityRow, type ActivitySink } from "./counter";

const APP = "0190b6a0-0000-7000-8000-000000000001";
const OTHER = "0190b6a0-0000-7000-8000-000000000002";
const at = (iso: string) => new Date(iso);

/** A sink that keeps what it was given, or fails while `failing` is set. */
function memorySink() {
  const batches: ActivityRow[][] = [];
  const sink = {
    failing: false,
    batches,
    async addActivity(rows: readonly ActivityRow[]) {
      if (sink.failing) throw new Error("connection refused");
      batches.push([...rows]);
    },
  };
  return sink;
}

const sorted = (rows: readonly ActivityRow[]) =>
  [...rows].map((r) => ({ ...r, bucket: r.bucket.toISOString() })).sort((a, b) => `${a.bucket}${a.appId}${a.kind}`.localeCompare(`${b.bucket}${b.appId}${b.kind}`));

describe("activityCounter", () => {
  it("truncates to the hour (UTC)", () => {
    expect(hourOf(at("2026-12-05T03:59:59.999Z")).toISOString()).toBe("2026-12-05T03:00:00.000Z");
    expect(hourOf(at("2026-12-05T04:00:00.000Z")).toISOString()).toBe("2026-12-05T04:00:00.000Z");
  });

  it("counts per app, hour and kind in memory, and writes them with one call per flush", async () => {
    const sink = memorySink();
    const counter = activityCounter(sink);
    counter.count(APP, "token.refresh_token", at("2026-12-05T03:10:00Z"));
    counter.count(APP, "token.refresh_token", at("2026-12-05T03:50:00Z"));
    counter.count(APP, "token.refresh_token", at("2026-12-05T04:00:00Z"));
    counter.count(OTHER, "token.refresh_token", at("2026-12-05T03:10:00Z"));
    counter.count(null, "sign_in", at("2026-12-05T03:10:00Z"));
    expect(sink.batches).toHaveLength(0);
    expect(counter.held()).toBe(4);
    await counter.flush();
    expect(sink.batches).toHaveLength(1);
    expect(sorted(sink.batches[0]!)).toEqual([
      { bucket: "2026-12-05T03:00:00.000Z", appId: APP, kind: "token.refresh_token", count: 2 },
      { bucket: "2026-12-05T03:00:00.000Z", appId: OTHER, kind: "token.refresh_token", count: 1 },
      { bucket: "2026-12-05T03:00:00.000Z", appId: null, kind: "sign_in", count: 1 },
      { bucket: "2026-12-05T04:00:00.000Z", appId: APP, kind: "token.refresh_token", count: 1 },
    ].sort((a, b) => `${a.bucket}${a.appId}${a.kind}`.localeCompare(`${b.bucket}${b.appId}${b.kind}`)));
    expect(counter.held()).toBe(0);
    // Nothing held: no write at all.
    await counter.flush();
    expect(sink.batches).toHaveLength(1);
  });

  it("keeps the counts of a failed flush for the next one and logs without them", async () => {
    const sink = memorySink();
    const log = vi.fn();
    const counter = activityCounter(sink, { log });
    counter.count(APP, "error", at("2026-12-05T03:00:00Z"));
    sink.failing = true;
    await counter.flush();
    expect(log).toHaveBeenCalledOnce();
    expect(log.mock.calls[0]![0]).toMatch(/not written \(kept for the next try\): connection refused/);
    counter.count(APP, "error", at("2026-12-05T03:30:00Z"));
    sink.failing = false;
    await counter.flush();
    expect(sorted(sink.batches.flat())).toEqual([{ bucket: "2026-12-05T03:00:00.000Z", appId: APP, kind: "error", count: 2 }]);
  });

  it("holds at most maxEntries distinct counts: new ones beyond are dropped and logged, held ones still add up", async () => {
    const sink = memorySink();
    const log = vi.fn();
    const counter = activityCounter(sink, { maxEntries: 2, log });
    const hour = at("2026-12-05T03:00:00Z");
    counter.count(APP, "consent", hour);
    counter.count(OTHER, "consent", hour);
    counter.count(null, "consent", hour); // a third key: dropped
    counter.count(null, "consent", hour);
    counter.count(APP, "consent", hour); // a held key: counted
    expect(counter.held()).toBe(2);
    await counter.flush();
    expect(sink.batches[0]!.map((r) => [r.appId, r.count])).toEqual([
      [APP, 2],
      [OTHER, 1],
    ]);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^connected-apps: 2 activity counts dropped: more than 2 distinct/));
  });

  it("a failed flush puts its counts back within the bound too", async () => {
    const sink = memorySink();
    const counter = activityCounter(sink, { maxEntries: 2, log: () => {} });
    const hour = at("2026-12-05T03:00:00Z");
    counter.count(APP, "consent", hour);
    counter.count(OTHER, "consent", hour);
    sink.failing = true;
    const failed = counter.flush();
    // Counted while the write is under way: a new map, within the bound.
    counter.count(null, "sign_in", hour);
    counter.count(APP, "sign_in", hour);
    await failed;
    expect(counter.held()).toBe(2);
  });

  it("counts made during a flush go into the next one; concurrent flushes share one write", async () => {
    let release!: () => void;
    const batches: ActivityRow[][] = [];
    const sink: ActivitySink = {
      addActivity: (rows) =>
        new Promise<void>((resolve) => {
          batches.push([...rows]);
          release = resolve;
        }),
    };
    const counter = activityCounter(sink);
    counter.count(APP, "sign_in", at("2026-12-05T03:00:00Z"));
    const first = counter.flush();
    const second = counter.flush();
    expect(second).toBe(first);
    counter.count(APP, "sign_in", at("2026-12-05T03:00:00Z"));
    release();
    await first;
    expect(batches).toHaveLength(1);
    const third = counter.flush();
    release();
    await third;
    expect(batches.map((b) => b[0]!.count)).toEqual([1, 1]);
  });

  it("scheduleActivityFlush flushes on its interval, and its stop flushes what is left", async () => {
    vi.useFakeTimers();
    try {
      const sink = memorySink();
      const counter = activityCounter(sink);
      const stop = scheduleActivityFlush(counter, 1000);
      counter.count(APP, "sign_in", at("2026-12-05T03:00:00Z"));
      await vi.advanceTimersByTimeAsync(999);
      expect(sink.batches).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(sink.batches).toHaveLength(1);
      counter.count(APP, "consent", at("2026-12-05T03:00:00Z"));
      await stop();
      expect(sink.batches.map((b) => b[0]!.kind)).toEqual(["sign_in", "consent"]);
      await vi.advanceTimersByTimeAsync(5000);
      expect(sink.batches).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
