import { APP_VIEW_FIELDS } from "../clients/app-view";
import { invalidRequest } from "./api-error";

export type AppField = (typeof APP_VIEW_FIELDS)[number];

const KNOWN = new Set<string>(APP_VIEW_FIELDS);

/**
 * Parses `?fields=a,b` (as Auth0's `fields`): the named app fields, in the
 * order given, without duplicates; null when the parameter is absent (all
 * fields). Unknown names are a 400 that lists the valid ones.
 */
export function parseFields(param: string | null): AppField[] | null {
  if (param === null) return null;
  const names = [...new Set(param.split(",").map((name) => name.trim()).filter(Boolean))];
  if (names.length === 0) {
    throw invalidRequest(`fields must name at least one field. Valid fields: ${APP_VIEW_FIELDS.join(", ")}`, {
      fields: "must name at least one field",
    });
  }
  const unknown = names.filter((name) => !KNOWN.has(name));
  if (unknown.length > 0) {
    throw invalidRequest(`Unknown fields: ${unknown.join(", ")}. Valid fields: ${APP_VIEW_FIELDS.join(", ")}`, {
      fields: `unknown: ${unknown.join(", ")}`,
    });
  }
  return names as AppField[];
}

/** The app with only the selected fields (all of them when `fields` is null). */
export function selectFields<T extends Record<AppField, unknown>>(app: T, fields: readonly AppField[] | null): Partial<T> {
  if (fields === null) return app;
  return Object.fromEntries(fields.map((field) => [field, app[field]])) as Partial<T>;
}
