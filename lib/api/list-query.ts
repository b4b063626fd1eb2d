import { invalidRequest } from "./api-error";
import { UNSTORABLE_MESSAGE, isUnstorable } from "../text";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
const MAX_SEARCH_LENGTH = 200;

export interface ListQuery {
  limit: number;
  cursor: string | undefined;
  search: string | undefined;
}

/**
 * Parses `?limit=&cursor=&q=` of `GET /api/v1/connected-apps`. `limit` is an
 * integer from 1 to 1000 (default 100); anything else is a 400, never a
 * silently clamped page.
 */
export function parseListQuery(params: URLSearchParams): ListQuery {
  const limitParam = params.get("limit");
  let limit = DEFAULT_PAGE_SIZE;
  if (limitParam !== null) {
    limit = /^\d{1,7}$/.test(limitParam) ? Number(limitParam) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) {
      throw invalidRequest(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, {
        limit: `must be an integer from 1 to ${MAX_PAGE_SIZE}`,
      });
    }
  }
  const search = params.get("q")?.trim() || undefined;
  if (search && search.length > MAX_SEARCH_LENGTH) {
    throw invalidRequest(`q must be at most ${MAX_SEARCH_LENGTH} characters`, { q: `must be at most ${MAX_SEARCH_LENGTH} characters` });
  }
  const cursor = params.get("cursor") || undefined;
  for (const [name, value] of [["q", search], ["cursor", cursor]] as const) {
    if (value !== undefined && isUnstorable(value)) throw invalidRequest(`${name} ${UNSTORABLE_MESSAGE}`, { [name]: UNSTORABLE_MESSAGE });
  }
  return { limit, cursor, search };
}
