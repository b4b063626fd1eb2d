/** A JSON value under its caption, pretty-printed (long tokens and ids wrap instead of widening the page). */
export function JsonBlock({ label, value, testId }: { label: string; value: unknown; testId?: string }) {
  return (
    <figure className="space-y-1">
      <figcaption className="text-xs font-medium text-slate-600">{label}</figcaption>
      <pre className="overflow-x-auto rounded-lg bg-slate-100 p-3 text-xs leading-relaxed break-all whitespace-pre-wrap" tabIndex={0} aria-label={label} data-testid={testId}>
        <code>{JSON.stringify(value, null, 2)}</code>
      </pre>
    </figure>
  );
}
