import { z } from "zod";
import { UserRole } from "../db/generated/enums.ts";
import type { CustomScopeView } from "../rbac/custom-scopes";
import type { RoleView } from "../rbac/roles";

/**
 * Wire schemas of the custom-scope, role and user endpoints. Responses go
 * through them before they are sent (an allowlist, as for apps in
 * schemas.ts), and they become the OpenAPI components (openapi-rbac.ts).
 * Request bodies are validated by lib/rbac/input.ts, whose schemas the
 * document shows as they are.
 */

export const customScopeSchema = z
  .object({
    name: z.string().meta({ description: "The scope token apps request, e.g. `read:invoices`" }),
    description: z.string().meta({ description: "Shown to users on the consent page" }),
    permissions: z.array(z.string()).meta({ description: "A user can grant the scope only while holding every one of these" }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ description: "A custom scope defined by the owner" });

export const customScopeListSchema = z
  .object({ data: z.array(customScopeSchema) })
  .meta({ description: "Every custom scope, by name" });

export const roleSchema = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    permissions: z.array(z.string()),
    is_default: z.boolean().meta({ description: "Whether new users get this role" }),
    user_count: z.int().meta({ description: "How many users hold the role" }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ description: "A role: a named set of permissions that users hold" });

export const roleListSchema = z.object({ data: z.array(roleSchema) }).meta({ description: "Every role, by name" });

/** `GET` and `PUT /default-role`: the same shape both ways. */
export const defaultRoleSchema = z
  .strictObject({
    default_role: z.string().nullable().meta({ description: "The role every new user gets; null: none" }),
  })
  .meta({ description: "The role new users get (users who exist keep theirs)" });

export const userSchema = z
  .object({
    id: z.string().meta({ description: "The user id (a UUID), as in the `sub` of the user's tokens" }),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(UserRole).meta({ description: "The kind of account: owners manage the project, members are end users" }),
    roles: z.array(z.string()).meta({ description: "The names of the roles the user holds (what decides their permissions)" }),
    created_at: z.iso.datetime(),
  })
  .meta({ description: "A user and their roles" });

export const userListSchema = z
  .object({
    data: z.array(userSchema),
    next_cursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
  })
  .meta({ description: "One page of users, oldest first" });

export const userRolesSchema = z
  .object({
    roles: z.array(z.string()).meta({ description: "The names of the user's roles" }),
    permissions: z.array(z.string()).meta({ description: "Every permission those roles carry, sorted" }),
  })
  .meta({ description: "A user's roles and the permissions they give" });

export const toWireScope = (scope: CustomScopeView) => customScopeSchema.parse(scope);
export const toWireRole = (role: RoleView) => roleSchema.parse(role);
