import { z } from "zod";
import { isUnstorable } from "../text";
import { invalidInput } from "../domain-error";
import { fieldMessages } from "../zod-fields";

const storable = (s: string) => !isUnstorable(s);
/** Permission names: `invoices.read`, `billing:admin`… */
export const permissionName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$/, { error: "must be 1-100 letters, digits or : . _ -, starting with a letter or digit" });
/** Custom scope names: a scope token without spaces, e.g. `read:invoices`. */
export const customScopeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:._/-]{0,99}$/, { error: "must be 1-100 letters, digits or : . _ / -, starting with a letter or digit" });
export const roleName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, { error: "must be 1-64 letters, digits, spaces or . _ -, starting with a letter or digit" });
const permissions = z.array(permissionName).max(50, { error: "must list at most 50 permissions" }).transform((list) => [...new Set(list)]);

const scopeDescription = z.string().trim().min(1, { error: "is required" }).max(200, { error: "must be at most 200 characters" }).refine(storable, { error: "must not contain NUL characters" });
const roleDescription = z.string().trim().max(200, { error: "must be at most 200 characters" }).refine(storable, { error: "must not contain NUL characters" }).nullable();

export const customScopeInput = z.strictObject({ name: customScopeName, description: scopeDescription, permissions: permissions.default([]) });
// Patches have no defaults: a field left out stays as it is.
export const customScopePatch = z.strictObject({ description: scopeDescription.optional(), permissions: permissions.optional() });

export const roleInput = z.strictObject({ name: roleName, description: roleDescription.default(null), permissions: permissions.default([]) });
export const rolePatch = z.strictObject({ description: roleDescription.optional(), permissions: permissions.optional() });

/** Parses with a zod schema, turning issues into invalid-input fields (wire names). */
export function parseRbac<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidInput(fieldMessages(result.error));
}
