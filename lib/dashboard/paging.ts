import { isUnstorable } from "../text";

export type SearchParams = Record<string, string | string[] | undefined>;

/** One value of a search parameter (the first, if it was given several times). */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A `?per_page=` value between 1 and 100, else the page's default. */
export function pageSize(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n >= 1 && n <= 100 ? n : fallback;
}

/** What a paged dashboard list reads from its address, and the address of another of its pages. */
export interface ListPage {
  /** The search as typed (trimmed, at most 200 characters); "" when absent or when no stored text could hold it. */
  q: string;
  /** The cursor the previous page linked to; anything else starts over (undefined). */
  cursor: string | undefined;
  perPage: number;
  /** The page size when it is not the list's default: what a search form carries along (undefined otherwise). */
  keptPerPage: number | undefined;
  /** The same list (search and page size kept) from `cursor`, or from the start (null). */
  href: (cursor: string | null) => string;
}

export function listPage(path: string, params: SearchParams, options: { defaultSize: number; isCursor: (cursor: string) => boolean }): ListPage {
  const typed = firstParam(params.q)?.trim().slice(0, 200) ?? "";
  // Text no stored name or email can hold finds nothing; it is not an error worth a page.
  const q = isUnstorable(typed) ? "" : typed;
  const given = firstParam(params.cursor);
  const cursor = given && options.isCursor(given) ? given : undefined;
  const perPage = pageSize(firstParam(params.per_page), options.defaultSize);
  const keptPerPage = perPage !== options.defaultSize ? perPage : undefined;
  const href = (next: string | null) => {
    const query = new URLSearchParams({
      ...(q ? { q } : {}),
      ...(keptPerPage ? { per_page: String(keptPerPage) } : {}),
      ...(next ? { cursor: next } : {}),
    }).toString();
    return query ? `${path}?${query}` : path;
  };
  return { q, cursor, perPage, keptPerPage, href };
}
