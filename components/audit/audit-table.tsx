import Link from "next/link";
import type { NamedTarget } from "@/lib/audit-log/targets";
import { DateTime } from "../dashboard/date-time";

export interface AuditRow {
  id: string;
  at: Date;
  actorLabel: string;
  actorType: string;
  action: string;
  targetId: string | null;
  details: unknown;
  actorUser: NamedTarget | null;
  target: NamedTarget | null;
  app: NamedTarget | null;
}

/** A long id on one line, cut with an ellipsis; the whole id is in the text (copy, screen readers) and its tooltip. */
function Id({ value }: { value: string }) {
  return (
    <span title={value} className="inline-block max-w-full min-w-0 truncate align-bottom font-mono text-xs">
      {value}
    </span>
  );
}

function Named({ target, testId }: { target: NamedTarget; testId: string }) {
  if (target.name && target.href) {
    return (
      <Link href={target.href} className="break-words text-brand-700 underline" title={target.id} data-testid={testId}>
        {target.name}
      </Link>
    );
  }
  return (
    <span data-testid={testId} className="inline-flex max-w-full min-w-0 flex-wrap items-baseline gap-x-1">
      <Id value={target.id} />
      {target.deleted && <span className="text-xs text-slate-500">(deleted)</span>}
    </span>
  );
}

function detailValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length === 0) return "none";
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(", ");
  return JSON.stringify(value);
}

/** The details as a key/value list that wraps inside its cell; `client_id` links to its app when it still exists. */
function Details({ details, app }: { details: unknown; app: NamedTarget | null }) {
  if (!details || typeof details !== "object" || Object.keys(details).length === 0) return null;
  return (
    <dl className="space-y-0.5">
      {Object.entries(details).map(([key, value]) => (
        <div key={key} className="flex min-w-0 flex-wrap gap-x-1">
          <dt className="text-slate-500">{key}:</dt>
          <dd className="min-w-0 [overflow-wrap:anywhere] text-slate-700">
            {key === "client_id" && app?.href ? (
              <Link href={app.href} className="text-brand-700 underline" title={app.id}>
                {app.name}
              </Link>
            ) : (
              detailValue(value)
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** `connected_app.secret_rotation_started`: a narrow column may break it after the dot, not inside a word. */
function ActionName({ action }: { action: string }) {
  const dot = action.indexOf(".");
  if (dot < 0) return <>{action}</>;
  return (
    <>
      {action.slice(0, dot + 1)}
      <wbr />
      {action.slice(dot + 1)}
    </>
  );
}

/** A small label before each value on a phone, where the rows are stacked and the header is hidden. */
const PhoneLabel = ({ children }: { children: string }) => <span className="mr-1 text-xs text-slate-500 sm:hidden">{children}:</span>;

/** Audit events, newest first: a table on wide screens, stacked rows on a phone. */
export function AuditTable({ events, empty }: { events: AuditRow[]; empty: string }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <table className="w-full table-fixed text-left text-sm">
      <thead className="sr-only sm:not-sr-only">
        <tr className="border-b border-slate-200 text-xs text-slate-500 uppercase">
          <th scope="col" className="w-32 py-2 pr-3 font-semibold">When</th>
          <th scope="col" className="w-[22%] py-2 pr-3 font-semibold">Who</th>
          <th scope="col" className="w-[20%] py-2 pr-3 font-semibold">Action</th>
          <th scope="col" className="w-[18%] py-2 pr-3 font-semibold">Target</th>
          <th scope="col" className="py-2 font-semibold">Details</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {events.map((event) => (
          <tr key={event.id} data-testid="audit-row" className="flex flex-col py-2 align-top sm:table-row">
            <td className="py-0.5 pr-3 text-slate-500 sm:py-2">
              <DateTime value={event.at} />
            </td>
            <td className="min-w-0 py-0.5 pr-3 [overflow-wrap:anywhere] sm:py-2">
              <PhoneLabel>Who</PhoneLabel>
              {event.actorUser ? <Named target={{ ...event.actorUser, name: event.actorLabel }} testId="audit-actor" /> : <span data-testid="audit-actor">{event.actorLabel}</span>}
            </td>
            <td className="py-0.5 pr-3 font-mono text-xs break-words sm:py-2">
              <PhoneLabel>Action</PhoneLabel>
              <ActionName action={event.action} />
            </td>
            <td className="min-w-0 py-0.5 pr-3 sm:py-2">
              {event.target && (
                <>
                  <PhoneLabel>Target</PhoneLabel>
                  <Named target={event.target} testId="audit-target" />
                </>
              )}
            </td>
            <td className="min-w-0 py-0.5 text-xs sm:py-2">
              <Details details={event.details} app={event.app} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
