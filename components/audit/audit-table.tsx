import { DateTime } from "../dashboard/date-time";

export interface AuditRow {
  id: string;
  at: Date;
  actorLabel: string;
  actorType: string;
  action: string;
  targetId: string | null;
  details: unknown;
}

function detailsText(details: unknown): string {
  if (!details || typeof details !== "object" || Object.keys(details).length === 0) return "";
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

/** Audit events, newest first: a table on wide screens, stacked rows on a phone. */
export function AuditTable({ events }: { events: AuditRow[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">Nothing has happened yet.</p>;
  return (
    <table className="w-full text-left text-sm">
      <thead className="sr-only sm:not-sr-only">
        <tr className="border-b border-slate-200 text-xs text-slate-500 uppercase">
          <th scope="col" className="py-2 pr-3 font-semibold">When</th>
          <th scope="col" className="py-2 pr-3 font-semibold">Who</th>
          <th scope="col" className="py-2 pr-3 font-semibold">Action</th>
          <th scope="col" className="py-2 pr-3 font-semibold">Target</th>
          <th scope="col" className="py-2 font-semibold">Details</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {events.map((event) => (
          <tr key={event.id} data-testid="audit-row" className="flex flex-col py-2 align-top sm:table-row">
            <td className="py-0.5 pr-3 whitespace-nowrap text-slate-500 sm:py-2">
              <DateTime value={event.at} />
            </td>
            <td className="py-0.5 pr-3 break-words sm:py-2">{event.actorLabel}</td>
            <td className="py-0.5 pr-3 font-mono text-xs sm:py-2">{event.action}</td>
            <td className="py-0.5 pr-3 font-mono text-xs break-all text-slate-600 sm:py-2">{event.targetId ?? ""}</td>
            <td className="py-0.5 text-xs break-words text-slate-600 sm:py-2">{detailsText(event.details)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
