import { domainErrorResult, type ActionFailure } from "./action-result";

/**
 * Turns the dashboard's scope and role forms (FormData) into the wire-named
 * input of lib/rbac, and lib/rbac's errors into action results.
 * Validation itself stays in lib/rbac; only fields present in a form are
 * sent, so an edit form never overwrites what it does not show.
 */

function text(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}

/** Permission names separated by spaces, commas or new lines. */
export function permissionsOf(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** A scope form: `name` (create only), `description`, `permissions`. */
export function scopeFromForm(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const name = text(form, "name");
  if (name !== undefined) input.name = name.trim();
  const description = text(form, "description");
  if (description !== undefined) input.description = description;
  const permissions = text(form, "permissions");
  if (permissions !== undefined) input.permissions = permissionsOf(permissions);
  return input;
}

/** A role form: like a scope form, but an empty description means none. */
export function roleFromForm(form: FormData): Record<string, unknown> {
  const input = scopeFromForm(form);
  if (typeof input.description === "string" && input.description.trim() === "") input.description = null;
  return input;
}

/**
 * Maps lib/rbac's errors to a result (domainErrorResult). A message about
 * one permission (`permissions[1]`) names it, as the form shows them all in
 * one box.
 */
export function rbacErrorResult(error: unknown, input: Record<string, unknown> = {}): ActionFailure {
  const permissions = Array.isArray(input.permissions) ? input.permissions : [];
  return domainErrorResult(error, {
    fields: (fields) =>
      Object.fromEntries(
        Object.entries(fields).map(([field, message]) => {
          const index = /^permissions\[(\d+)\]$/.exec(field)?.[1];
          return [field, index !== undefined && typeof permissions[Number(index)] === "string" ? `“${permissions[Number(index)]}” ${message}` : message];
        }),
      ),
  });
}
