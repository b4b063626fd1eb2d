import type { ActivitySeries } from "@/lib/activity/series";

const BAR = 10;
const HEIGHT = 60;

/**
 * One series as a server-rendered bar chart: the SVG scales to its box (no
 * text inside it, so nothing stretches), its title says the total and the
 * peak, and the numbers themselves are in a table below it.
 */
export function ActivityChart({
  series,
  bucketLabels,
  unit,
  periodText,
  idPrefix,
}: {
  series: ActivitySeries;
  /** One label per bucket (an hour or a day, UTC). */
  bucketLabels: string[];
  /** "hour" or "day". */
  unit: string;
  /** "the last 24 hours", for the chart's title. */
  periodText: string;
  idPrefix: string;
}) {
  const max = Math.max(0, ...series.values);
  const titleId = `${idPrefix}-${series.id}-title`;
  const width = series.values.length * BAR;
  return (
    <figure className="min-w-0 space-y-1" data-testid={`activity-${series.id}`} data-total={series.total}>
      <figcaption className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-700">{series.label}</span>
        <span className="text-lg font-semibold" data-testid="activity-total">
          {series.total}
        </span>
      </figcaption>
      <svg
        role="img"
        aria-labelledby={titleId}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="block h-20 w-full rounded bg-slate-50"
      >
        <title id={titleId}>
          {`${series.label}, ${periodText}: ${series.total} in total${max > 0 ? `, at most ${max} in one ${unit}` : ""}`}
        </title>
        {series.values.map((value, i) => {
          // A count above zero stays visible however small it is next to the peak.
          const height = value === 0 ? 0 : Math.max(2, (value / max) * (HEIGHT - 4));
          return value > 0 ? <rect key={i} x={i * BAR + 1} y={HEIGHT - height} width={BAR - 2} height={height} className="fill-brand-600" /> : null;
        })}
        <line x1={0} x2={width} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="stroke-slate-400" strokeWidth={1} vectorEffect="non-scaling-stroke" />
      </svg>
      <div className="flex justify-between text-xs text-slate-500" aria-hidden="true">
        <span>{bucketLabels[0]}</span>
        <span>{max > 0 ? `peak ${max}` : "none"}</span>
        <span>{bucketLabels.at(-1)}</span>
      </div>
      <details className="text-xs text-slate-600">
        <summary className="cursor-pointer text-brand-700">
          Numbers<span className="sr-only"> of {series.label.toLowerCase()}</span>
        </summary>
        <table className="mt-1 w-full" data-testid="activity-table">
          <thead>
            <tr className="text-left">
              <th scope="col" className="font-medium">
                {unit === "hour" ? "Hour (UTC)" : "Day (UTC)"}
              </th>
              <th scope="col" className="text-right font-medium">
                {series.label}
              </th>
            </tr>
          </thead>
          <tbody>
            {series.values.map((value, i) => (
              <tr key={i} className="border-t border-slate-100">
                <td>{bucketLabels[i]}</td>
                <td className="text-right tabular-nums">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
