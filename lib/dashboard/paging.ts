/** One value of a search parameter (the first, if it was given several times). */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A `?per_page=` value between 1 and 100, else the page's default. */
export function pageSize(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n >= 1 && n <= 100 ? n : fallback;
}
