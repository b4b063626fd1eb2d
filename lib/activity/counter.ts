import type { ActivityKind } from "./kinds";

const HOUR_MS = 60 * 60 * 1000;
/** How often each instance adds its counts to the database: what a crash can lose at most. */
export const ACTIVITY_FLUSH_INTERVAL_MS = 5_000;
/** Distinct (app, hour, kind) counts one instance holds between flushes; beyond it new ones are dropped (and logged). */
export const ACTIVITY_MAX_ENTRIES = 10_000;

/** One count to add: `appId` null for what belongs to the project only. */
export interface ActivityRow {
  bucket: Date;
  appId: string | null;
  kind: ActivityKind;
  count: number;
}

/** Where counts go (lib/db/oauth-store.ts: one upsert that adds them, so instances' flushes sum). */
export interface ActivitySink {
  addActivity(rows: readonly ActivityRow[]): Promise<void>;
}

/** Activity counted in memory by this process (issue 17): the token path pays a map update, not a write. */
export interface ActivityCounter {
  /** Adds one to `kind` for `appId` (null: the project only) in the hour of `at`. Never throws, never waits. */
  count(appId: string | null, kind: ActivityKind, at: Date): void;
  /**
   * Writes what is held with one statement. A failed write keeps the counts
   * for the next flush (within the bound) and logs the reason; it never
   * throws. Concurrent calls share one write.
   */
  flush(): Promise<void>;
  /** Distinct counts held, not yet written. */
  held(): number;
}

/** The hour `at` falls in (UTC), as a bucket. */
export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

export function activityCounter(
  sink: ActivitySink,
  options: { maxEntries?: number; log?: (message: string) => void } = {},
): ActivityCounter {
  const maxEntries = options.maxEntries ?? ACTIVITY_MAX_ENTRIES;
  const log = options.log ?? ((m: string) => console.error(m));
  // "hour ms|app id|kind" → count
  let counts = new Map<string, number>();
  let dropped = 0;
  let flushing: Promise<void> | null = null;

  const add = (key: string, n: number) => {
    const current = counts.get(key);
    if (current !== undefined) counts.set(key, current + n);
    else if (counts.size < maxEntries) counts.set(key, n);
    else dropped += n;
  };

  const write = async () => {
    if (counts.size === 0) return;
    const taken = counts;
    // Counts made while the write is under way go to a fresh map, and into the next flush.
    counts = new Map();
    try {
      await sink.addActivity([...taken].map(([key, count]) => toRow(key, count)));
    } catch (e) {
      // The statement is atomic: nothing of it was added, so everything is added again next time.
      for (const [key, n] of taken) add(key, n);
      log(`connected-apps: activity counts not written (kept for the next try): ${e instanceof Error ? e.message : String(e)}`);
    }
    if (dropped > 0) {
      log(`connected-apps: ${dropped} activity counts dropped: more than ${maxEntries} distinct counts waiting to be written`);
      dropped = 0;
    }
  };

  return {
    count(appId, kind, at) {
      add(`${hourOf(at).getTime()}|${appId ?? ""}|${kind}`, 1);
    },
    flush() {
      flushing ??= write().finally(() => {
        flushing = null;
      });
      return flushing;
    },
    held: () => counts.size,
  };
}

function toRow(key: string, count: number): ActivityRow {
  const [hour, appId, kind] = key.split("|") as [string, string, ActivityKind];
  return { bucket: new Date(Number(hour)), appId: appId || null, kind, count };
}

/**
 * Flushes every `intervalMs` (not keeping the process alive); the returned
 * function stops the timer and flushes a last time (server shutdown).
 */
export function scheduleActivityFlush(counter: ActivityCounter, intervalMs = ACTIVITY_FLUSH_INTERVAL_MS): () => Promise<void> {
  const timer = setInterval(() => void counter.flush(), intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    // Twice: a flush under way took its counts before the last requests were counted.
    await counter.flush();
    await counter.flush();
  };
}
