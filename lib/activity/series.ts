import { z } from "zod";
import type { PrismaClient } from "../db/generated/client.ts";
import { hourOf } from "./counter";
import { ACTIVITY_SERIES, type ActivityKind, type ActivitySeriesId } from "./kinds";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The periods the charts offer: the last 24 hours by hour, the last 7 or 30 days by day (UTC). */
export const ACTIVITY_PERIODS = {
  "24h": { label: "24 h", long: "the last 24 hours", buckets: 24, stepMs: HOUR_MS, unit: "hour" },
  "7d": { label: "7 days", long: "the last 7 days", buckets: 7, stepMs: DAY_MS, unit: "day" },
  "30d": { label: "30 days", long: "the last 30 days", buckets: 30, stepMs: DAY_MS, unit: "day" },
} as const;

export type ActivityPeriod = keyof typeof ACTIVITY_PERIODS;

/** The `activity` query parameter; anything else is the default period. */
export const activityPeriodSchema = z.enum(["24h", "7d", "30d"]).catch("24h");

export interface ActivitySeries {
  id: ActivitySeriesId;
  label: string;
  /** One count per bucket, oldest first. */
  values: number[];
  total: number;
}

export interface Activity {
  period: ActivityPeriod;
  /** Where each bucket starts (an hour, or a UTC day), oldest first; the last one holds now. */
  buckets: Date[];
  series: ActivitySeries[];
}

/** The buckets of `period` ending with the one that holds `now`. */
export function bucketsOf(period: ActivityPeriod, now: Date): Date[] {
  const { buckets, stepMs } = ACTIVITY_PERIODS[period];
  const last = stepMs === HOUR_MS ? hourOf(now).getTime() : Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return Array.from({ length: buckets }, (_, i) => new Date(last - (buckets - 1 - i) * stepMs));
}

/** Sums hourly rows into the period's buckets and series; hours without a row count zero. */
export function toActivity(period: ActivityPeriod, now: Date, rows: readonly { bucket: Date; kind: string; count: number }[]): Activity {
  const buckets = bucketsOf(period, now);
  const { stepMs } = ACTIVITY_PERIODS[period];
  const first = buckets[0]!.getTime();
  const byKind = new Map<string, number[]>();
  for (const row of rows) {
    const index = Math.floor((row.bucket.getTime() - first) / stepMs);
    if (index < 0 || index >= buckets.length) continue;
    const values = byKind.get(row.kind) ?? byKind.set(row.kind, new Array<number>(buckets.length).fill(0)).get(row.kind)!;
    values[index]! += row.count;
  }
  const series = ACTIVITY_SERIES.map(({ id, label, kinds }) => {
    const values = buckets.map((_, i) => (kinds as readonly ActivityKind[]).reduce((sum, kind) => sum + (byKind.get(kind)?.[i] ?? 0), 0));
    return { id, label, values, total: values.reduce((a, b) => a + b, 0) };
  });
  return { period, buckets, series };
}

/** Whose activity: one app or machine client (by client_id), or the whole project. */
export type ActivityScope = { clientId: string } | "project";

/** The activity of `scope` over `period`, as written by the instances' flushes. */
export async function activityOf(prisma: PrismaClient, scope: ActivityScope, period: ActivityPeriod, now: Date): Promise<Activity> {
  const from = bucketsOf(period, now)[0]!;
  type Row = { bucket: Date; kind: string; count: number };
  const rows =
    scope === "project"
      ? await prisma.$queryRaw<Row[]>`
          SELECT bucket, kind, count::float8 AS count FROM project_activity_counts WHERE bucket >= ${from}`
      : await prisma.$queryRaw<Row[]>`
          SELECT c.bucket, c.kind, c.count::float8 AS count FROM activity_counts c JOIN connected_apps a ON a.id = c.app_id
          WHERE a.client_id = ${scope.clientId} AND c.bucket >= ${from}`;
  return toActivity(period, now, rows);
}
