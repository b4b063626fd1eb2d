import { z } from "zod";
import type { AuditFilter } from "../audit";
import { isUuid } from "../crypto/uuid";
import { firstParam, pageSize, type SearchParams } from "../dashboard/paging";
import { isUnstorable } from "../text";
import { AUDIT_ACTION_NAMES } from "./actions";

/** The filters as typed in the audit log's address (a GET form), before checking. */
export interface AuditFilterValues {
  actor: string;
  action: string;
  app: string;
  from: string;
  to: string;
}

const FIELDS = ["actor", "action", "app", "from", "to"] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar day, YYYY-MM-DD, that exists (2026-02-30 does not): its start in UTC. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)")
  .transform((value, ctx) => {
    const start = new Date(`${value}T00:00:00.000Z`);
    if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== value) {
      ctx.addIssue({ code: "custom", message: "is not a date in the calendar" });
      return z.NEVER;
    }
    // Year 0 or the day after 9999-12-31 would reach the database as a timestamp it refuses.
    const year = start.getUTCFullYear();
    if (year < 1970 || year > 9998) {
      ctx.addIssue({ code: "custom", message: "must be between 1970 and 9998" });
      return z.NEVER;
    }
    return start;
  });

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const filterSchema = z
  .object({
    actor: optional(z.string().max(200, "must be at most 200 characters").refine((v) => !isUnstorable(v), "contains characters no label can hold")),
    action: optional(z.enum(AUDIT_ACTION_NAMES as [string, ...string[]], { message: "is not an action the audit log records" })),
    // client_ids are printable ASCII (a CIMD client_id is a URL).
    app: optional(z.string().max(2048, "is too long").regex(/^[\x21-\x7e]+$/, "is not a client_id")),
    from: optional(day),
    to: optional(day),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], message: "must not be before the From date" });

export type AuditFilterResult =
  | { ok: true; filter: AuditFilter }
  | { ok: false; errors: Partial<Record<keyof AuditFilterValues, string>> };

/** The search parameters as typed (trimmed; the first of repeated ones). */
export function filterValues(params: SearchParams): AuditFilterValues {
  const value = (name: keyof AuditFilterValues) => firstParam(params[name])?.trim() ?? "";
  return { actor: value("actor"), action: value("action"), app: value("app"), from: value("from"), to: value("to") };
}

/** The filters checked: a filter for listAudit, or one readable message per bad field. Dates are whole days in UTC, both ends included. */
export function parseAuditFilter(values: AuditFilterValues): AuditFilterResult {
  const parsed = filterSchema.safeParse(values);
  if (!parsed.success) {
    const errors: Partial<Record<keyof AuditFilterValues, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof AuditFilterValues;
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const { actor, action, app, from, to } = parsed.data;
  return {
    ok: true,
    filter: {
      ...(actor && { actor }),
      ...(action && { action }),
      ...(app && { app }),
      ...(from && { from }),
      // The To day is included: up to the start of the next day.
      ...(to && { until: new Date(to.getTime() + DAY_MS) }),
    },
  };
}

/** Whether any filter is set. */
export function filtering(values: AuditFilterValues): boolean {
  return FIELDS.some((field) => values[field] !== "");
}

/** The address of the filtered list (or its CSV) from `cursor`, filters and page size kept. */
export function auditHref(path: string, values: AuditFilterValues, options: { perPage?: number; cursor?: string | null } = {}): string {
  const query = new URLSearchParams();
  for (const field of FIELDS) if (values[field]) query.set(field, values[field]);
  if (options.perPage !== undefined) query.set("per_page", String(options.perPage));
  if (options.cursor) query.set("cursor", options.cursor);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** The page's cursor and size from its address (a cursor is an event's id; anything else starts over). */
export function auditPage(params: SearchParams, defaultSize: number): { cursor: string | undefined; perPage: number; keptPerPage: number | undefined } {
  const given = firstParam(params.cursor);
  const perPage = pageSize(firstParam(params.per_page), defaultSize);
  return { cursor: given && isUuid(given) ? given : undefined, perPage, keptPerPage: perPage !== defaultSize ? perPage : undefined };
}
