import { listAudit, type AuditFilter } from "../audit";
import type { PrismaClient } from "../db/generated/client.ts";
import { resolveAuditNames } from "./targets";

/** At most this many events per export (the newest that match); the page says so. */
export const CSV_EXPORT_LIMIT = 10_000;
const BATCH = 500;

const HEADER = ["time_utc", "actor_type", "actor", "action", "target_id", "target", "details"];

/**
 * One CSV field (RFC 4180 §2): quoted when it holds a comma, a quote or a
 * line break, quotes doubled. A value a spreadsheet would run as a formula
 * (starting with = + - @, a tab or a carriage return) gets a leading
 * apostrophe first (OWASP "CSV injection").
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** `audit-log-2026-12-05.csv`: the day of the export, in UTC. */
export function csvFilename(now: Date): string {
  return `audit-log-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * The filtered audit log as CSV, newest first, UTF-8 with a byte-order mark
 * (so spreadsheets read it as UTF-8), streamed in batches of 500 with their
 * targets' names, and at most CSV_EXPORT_LIMIT events.
 */
export function auditCsvStream(prisma: PrismaClient, filter: AuditFilter, limit = CSV_EXPORT_LIMIT): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let sent = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(HEADER)}`));
        return;
      }
      const { events, nextCursor } = await listAudit(prisma, { limit: Math.min(BATCH, limit - sent), cursor, filter });
      const names = await resolveAuditNames(prisma, events);
      const rows = events.map((event) =>
        csvRow([
          event.at.toISOString(),
          event.actorType,
          event.actorLabel,
          event.action,
          event.targetId ?? "",
          names.target(event)?.name ?? "",
          JSON.stringify(event.details),
        ]),
      );
      if (rows.length) controller.enqueue(encoder.encode(rows.join("")));
      sent += events.length;
      cursor = nextCursor ?? undefined;
      if (!nextCursor || sent >= limit) controller.close();
    },
  });
}
