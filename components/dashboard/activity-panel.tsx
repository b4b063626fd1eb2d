import Link from "next/link";
import { ACTIVITY_PERIODS, type Activity, type ActivityPeriod } from "@/lib/activity/series";
import { ActivityChart } from "./activity-chart";

/** A bucket's label: the hour ("14:00") for 24 h, the day ("2026-03-14") otherwise; UTC like every time on the dashboard. */
function bucketLabel(start: Date, period: ActivityPeriod): string {
  const iso = start.toISOString();
  return period === "24h" ? iso.slice(11, 16) : iso.slice(0, 10);
}

/**
 * The activity charts of an app, a machine client or the project, with the
 * period switch: links that set `?activity=` on `path` (the page itself) and
 * come back to this panel.
 */
export function ActivityPanel({ activity, path, idPrefix, only }: { activity: Activity; path: string; idPrefix: string; only?: readonly string[] }) {
  const period = ACTIVITY_PERIODS[activity.period];
  const labels = activity.buckets.map((b) => bucketLabel(b, activity.period));
  const series = only ? activity.series.filter((s) => only.includes(s.id)) : activity.series;
  return (
    <div className="space-y-4" data-testid="activity" data-period={activity.period}>
      <nav aria-label="Activity period">
        <ul className="flex flex-wrap gap-2 text-sm">
          {(Object.keys(ACTIVITY_PERIODS) as ActivityPeriod[]).map((p) => (
            <li key={p}>
              <Link
                href={`${path}?activity=${p}#activity`}
                aria-current={p === activity.period ? "page" : undefined}
                className={`inline-block rounded-md border px-3 py-1 ${p === activity.period ? "border-brand-700 bg-brand-50 font-semibold text-brand-700" : "border-slate-300 text-slate-700 hover:bg-slate-50"}`}
              >
                {ACTIVITY_PERIODS[p].label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
        {series.map((s) => (
          <ActivityChart key={s.id} series={s} bucketLabels={labels} unit={period.unit} periodText={period.long} idPrefix={idPrefix} />
        ))}
      </div>
    </div>
  );
}
