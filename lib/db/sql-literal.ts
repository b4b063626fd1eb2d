/**
 * A value as an SQL literal, for `EXECUTE name(…)` on PGlite (see
 * openPGlite: its query protocol cannot bind parameters to a prepared
 * statement). Safe only with standard_conforming_strings on (checked when
 * the database opens): a backslash is then an ordinary character and a
 * quote the only one to escape. Strings with NUL, which PostgreSQL text
 * cannot hold, are refused rather than truncated.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return quote(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("not a finite number");
    return String(value);
  }
  if (value instanceof Date) return quote(value.toISOString());
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === "string")) throw new TypeError("only text arrays are supported");
    return `ARRAY[${value.map(quote).join(", ")}]::text[]`;
  }
  return quote(JSON.stringify(value));
}

function quote(text: string): string {
  if (text.includes("\u0000")) throw new TypeError("text cannot hold NUL");
  return `'${text.replaceAll("'", "''")}'`;
}
