/** A date and time in UTC, machine-readable too. */
export function DateTime({ value, dateOnly = false }: { value: Date | string | null; dateOnly?: boolean }) {
  if (!value) return <span className="text-slate-500">never</span>;
  const iso = typeof value === "string" ? value : value.toISOString();
  const text = dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return <time dateTime={iso}>{text}</time>;
}
