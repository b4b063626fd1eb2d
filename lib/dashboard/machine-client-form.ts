import { scopesOf, settingsFromForm } from "./app-form";

/** Present when a form shows the grants, so that a form without them never clears a client's grants. */
export const GRANTS_MARKER = "grants_shown";
/** A checked box per granted resource server; its scopes are in `scopesField(resource)`. */
export const GRANT_FIELD = "grant";
export const scopesField = (resource: string) => `scopes ${resource}`;

/**
 * A machine-client form (FormData) as the wire-named input of
 * lib/clients/machine-clients.ts: the settings it shares with app forms,
 * and the grants, one checkbox per resource server with its scopes.
 */
export function machineInputFromForm(form: FormData): { input: Record<string, unknown>; fields: Record<string, string> } {
  const { input, fields } = settingsFromForm(form);
  if (form.has(GRANTS_MARKER)) {
    input.grants = form
      .getAll(GRANT_FIELD)
      .filter((value): value is string => typeof value === "string")
      .map((resource) => {
        const scopes = form.get(scopesField(resource));
        return { resource, scopes: typeof scopes === "string" ? scopesOf(scopes) : [] };
      });
  }
  return { input, fields };
}
