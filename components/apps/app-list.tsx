import Link from "next/link";
import type { AppView } from "@/lib/clients/app-view";
import { DateTime } from "../dashboard/date-time";
import { Badge } from "../ui/badge";
import { CREATION_METHOD_LABELS } from "./type-facts";
import { TypeBadge } from "./type-badge";

/**
 * Apps as a list that reads well from phone to desktop. `lastUsed`: when each
 * app (by client_id) last authenticated at the token, introspection or
 * revocation endpoint (recorded to the minute).
 */
export function AppList({ apps, lastUsed }: { apps: AppView[]; lastUsed: ReadonlyMap<string, Date> }) {
  return (
    <ul className="divide-y divide-slate-100" aria-label="Apps">
      {apps.map((app) => (
        <li key={app.client_id} data-testid="app-row" className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              <Link
                href={`/dashboard/apps/${encodeURIComponent(app.client_id)}`}
                className="font-medium break-words text-brand-700 hover:underline"
              >
                {app.name}
              </Link>
              <TypeBadge type={app.client_type} />
              {app.status !== "active" && <Badge tone="red">Disabled</Badge>}
            </div>
            <p className="font-mono text-xs break-all text-slate-500">{app.client_id}</p>
          </div>
          <dl className="flex shrink-0 flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500 sm:flex-col sm:items-end">
            <div className="flex gap-1">
              <dt>Created</dt>
              <dd>
                <DateTime value={app.created_at} dateOnly />
              </dd>
            </div>
            <div className="flex gap-1" data-testid="last-used">
              <dt>Last used</dt>
              <dd>
                <DateTime value={lastUsed.get(app.client_id) ?? null} />
              </dd>
            </div>
            <div className="flex gap-1">
              <dt>via</dt>
              <dd>{CREATION_METHOD_LABELS[app.creation_method] ?? app.creation_method}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ul>
  );
}
