import { componentSchemasOf, SCHEMA } from "./openapi-components";
import { customScopeInput, customScopePatch, roleInput, rolePatch } from "../rbac/input";
import { MAX_BODY_BYTES } from "./body";
import {
  customScopeListSchema,
  customScopeSchema,
  defaultRoleSchema,
  roleListSchema,
  roleSchema,
  userListSchema,
  userSchema,
  userRolesSchema,
} from "./rbac-schemas";

/**
 * The custom-scope, role and user endpoints' part of the OpenAPI document
 * (lib/api/openapi.ts): paths, path and query parameters, and component
 * schemas generated from the zod schemas that validate the requests
 * (lib/rbac/input.ts) and shape the responses (rbac-schemas.ts).
 */

const ref = (name: string) => ({ $ref: `${SCHEMA}${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const jsonContent = (schema: object) => ({ "application/json": { schema } });
const ok = (description: string, schema: string) => ({ description, content: jsonContent(ref(schema)) });
const error = (description: string) => ({ description, content: jsonContent(ref("Error")) });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

const auth = { "401": response("Unauthorized"), "500": response("ServerError") };
const body = {
  "400": error("`invalid_request` (malformed JSON, not an object) or `invalid_body` (invalid fields, a message per field in `fields`)"),
  "413": error(`\`payload_too_large\`: the body is over ${MAX_BODY_BYTES} bytes`),
};
const created = (what: string, schema: string) => ({
  description: `Created. \`Location\` is the ${what}'s URL.`,
  headers: { Location: { description: `The ${what}'s URL`, schema: { type: "string" } } },
  content: jsonContent(ref(schema)),
});

export function rbacParameters() {
  const encoded = "Percent-encoded: `read:invoices` may be sent as `read%3Ainvoices`; a `/` or a space must be encoded (`%2F`, `%20`).";
  return {
    ScopeName: { name: "name", in: "path", required: true, description: `The custom scope's name. ${encoded}`, schema: { type: "string" } },
    RoleName: { name: "name", in: "path", required: true, description: `The role's name. ${encoded}`, schema: { type: "string" } },
    AssignedRole: { name: "role", in: "path", required: true, description: `The role's name. ${encoded}`, schema: { type: "string" } },
    UserSearch: {
      name: "q",
      in: "query",
      description: "Only users whose email or name (any case) contains this text",
      schema: { type: "string", maxLength: 200 },
    },
  };
}

export function rbacPaths() {
  const scopes = ["Scopes and roles"];
  const users = ["Users"];
  return {
    "/scopes": {
      get: {
        summary: "List the custom scopes",
        operationId: "listCustomScopes",
        tags: scopes,
        responses: { "200": ok("Every custom scope, by name", "CustomScopeList"), ...auth },
      },
      post: {
        summary: "Define a custom scope",
        description:
          "Apps may then be allowed to request it (their `allowed_scopes`). A user can grant it only while holding every permission it lists; " +
          "the consent page lists it as not grantable otherwise. Built-in scope names are refused.",
        operationId: "createCustomScope",
        tags: scopes,
        requestBody: { required: true, content: jsonContent(ref("CreateCustomScope")) },
        responses: { "201": created("scope", "CustomScope"), ...body, "409": error("`conflict`: a scope with this name exists"), ...auth },
      },
    },
    "/scopes/{name}": {
      patch: {
        summary: "Change a custom scope's description or permissions",
        description: "Fields left out stay as they are. Users' next authorizations and token refreshes follow the new permissions.",
        operationId: "updateCustomScope",
        tags: scopes,
        parameters: [param("ScopeName")],
        requestBody: { required: true, content: jsonContent(ref("UpdateCustomScope")) },
        responses: { "200": ok("The scope after the change", "CustomScope"), ...body, "404": error("`not_found`: no scope with this name"), ...auth },
      },
      delete: {
        summary: "Delete a custom scope",
        description: "It can no longer be granted: tokens issued from now on (refreshes included) leave it out.",
        operationId: "deleteCustomScope",
        tags: scopes,
        parameters: [param("ScopeName")],
        responses: { "204": { description: "Deleted" }, "404": error("`not_found`: no scope with this name"), ...auth },
      },
    },
    "/roles": {
      get: {
        summary: "List the roles",
        operationId: "listRoles",
        tags: scopes,
        responses: { "200": ok("Every role, by name, with its user count", "RoleList"), ...auth },
      },
      post: {
        summary: "Create a role",
        operationId: "createRole",
        tags: scopes,
        requestBody: { required: true, content: jsonContent(ref("CreateRole")) },
        responses: { "201": created("role", "Role"), ...body, "409": error("`conflict`: a role with this name exists"), ...auth },
      },
    },
    "/roles/{name}": {
      patch: {
        summary: "Change a role's description or permissions",
        description: "Fields left out stay as they are. Holders' next authorizations and token refreshes follow the new permissions.",
        operationId: "updateRole",
        tags: scopes,
        parameters: [param("RoleName")],
        requestBody: { required: true, content: jsonContent(ref("UpdateRole")) },
        responses: { "200": ok("The role after the change", "Role"), ...body, "404": error("`not_found`: no role with this name"), ...auth },
      },
      delete: {
        summary: "Delete a role",
        description: "Its holders lose it, and the permissions it gave. The default role cannot be deleted: choose another default first.",
        operationId: "deleteRole",
        tags: scopes,
        parameters: [param("RoleName")],
        responses: {
          "204": { description: "Deleted" },
          "404": error("`not_found`: no role with this name"),
          "409": error("`conflict`: the role is the default role for new users"),
          ...auth,
        },
      },
    },
    "/default-role": {
      get: {
        summary: "The role new users get",
        operationId: "getDefaultRole",
        tags: scopes,
        responses: { "200": ok("The default role (null: none)", "DefaultRole"), ...auth },
      },
      put: {
        summary: "Choose the role new users get",
        description: "`null` gives new users no role. Users who exist keep their roles.",
        operationId: "setDefaultRole",
        tags: scopes,
        requestBody: { required: true, content: jsonContent(ref("DefaultRole")) },
        responses: { "200": ok("The default role after the change", "DefaultRole"), ...body, ...auth },
      },
    },
    "/users": {
      get: {
        summary: "List users with their roles, oldest first, with cursor paging",
        operationId: "listUsers",
        tags: users,
        parameters: [param("Cursor"), param("Limit"), param("UserSearch")],
        responses: { "200": ok("One page of users", "UserList"), "400": error("`invalid_request`: a bad `limit`, `cursor` or `q`"), ...auth },
      },
    },
    "/users/{user_id}/roles": {
      get: {
        summary: "A user's roles and the permissions they give",
        operationId: "listUserRoles",
        tags: users,
        parameters: [param("UserId")],
        responses: { "200": ok("The roles and permissions", "UserRoles"), "404": error("`not_found`: no such user"), ...auth },
      },
    },
    "/users/{user_id}/roles/{role}": {
      put: {
        summary: "Give a user a role",
        description: "Idempotent: giving a role the user holds changes nothing.",
        operationId: "assignRole",
        tags: users,
        parameters: [param("UserId"), param("AssignedRole")],
        responses: { "204": { description: "The user holds the role" }, "404": error("`not_found`: no such user or role"), ...auth },
      },
      delete: {
        summary: "Take a role away from a user",
        description: "The user's tokens issued from now on (refreshes included) leave out the scopes it enabled.",
        operationId: "unassignRole",
        tags: users,
        parameters: [param("UserId"), param("AssignedRole")],
        responses: {
          "204": { description: "The user no longer holds the role" },
          "404": error("`not_found`: no such user or role, or the user does not hold it"),
          ...auth,
        },
      },
    },
  };
}

export function rbacSchemas(): Record<string, Record<string, unknown>> {
  const all = componentSchemasOf(
    { CustomScope: customScopeSchema, CustomScopeList: customScopeListSchema, Role: roleSchema, RoleList: roleListSchema, DefaultRole: defaultRoleSchema, User: userSchema, UserList: userListSchema, UserRoles: userRolesSchema },
    { CreateCustomScope: customScopeInput, UpdateCustomScope: customScopePatch, CreateRole: roleInput, UpdateRole: rolePatch },
  );
  for (const [name, docs] of Object.entries(REQUEST_FIELD_DOCS)) {
    const properties = all[name]!.properties as Record<string, Record<string, unknown>>;
    for (const [field, doc] of Object.entries(docs)) properties[field]!.description = doc;
  }
  return all;
}

const PERMISSIONS = "Permission names such as `invoices.read` (letters, digits, `: . _ -`; at most 50; duplicates are dropped).";
const scopeFields = {
  description: "Shown to users on the consent page (1-200 characters).",
  permissions: `${PERMISSIONS} A user can grant the scope only while holding all of them; none means anyone can.`,
};
const roleFields = { description: "Shown to owners (at most 200 characters), or null.", permissions: `${PERMISSIONS} Holders of the role have them.` };

/** Request-body properties zod cannot describe itself (the schemas live in lib/rbac/input.ts, free of OpenAPI text). */
const REQUEST_FIELD_DOCS: Record<string, Record<string, string>> = {
  CreateCustomScope: {
    name: "The scope token apps request, e.g. `read:invoices`: 1-100 letters, digits or `: . _ / -`. Built-in scope names are refused.",
    ...scopeFields,
  },
  UpdateCustomScope: scopeFields,
  CreateRole: { name: "1-64 letters, digits, spaces or `. _ -`, starting with a letter or digit.", ...roleFields },
  UpdateRole: roleFields,
};
