import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { openApiChecker, type OpenApiDocument } from "@/tests/openapi-validate";
import type { Actor } from "../audit";
import { customScopeInput, customScopePatch, roleInput, rolePatch } from "../rbac/input";
import { assignRole, createRole, listRoles } from "../rbac/roles";
import { createCustomScope } from "../rbac/custom-scopes";
import { ApiError } from "./api-error";
import { openApiDocument } from "./openapi";
import { rolesOfUserOrNotFound, unassignRoleOrNotFound, usersPage } from "./rbac";
import { toWireRole, toWireScope } from "./rbac-schemas";

const actor: Actor = { type: "system", id: null, label: "test" };
const doc = openApiDocument("https://id.example.com");
const check = openApiChecker(doc as unknown as OpenApiDocument);
const apiError = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof ApiError ? { status: e.status, code: e.code, fields: e.fields } : e),
  );

describe.each(testDatabases)("the user endpoints' steps on $name", ({ target }) => {
  let db: TestDatabase;
  let ids: string[];
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await createRole(db.prisma, actor, { name: "clerk", permissions: ["books.read", "books.write"] });
    await createRole(db.prisma, actor, { name: "reader", permissions: ["books.read"] });
    ids = [];
    for (const email of ["a@example.com", "b@example.com", "c@example.com"]) {
      ids.push((await db.prisma.user.create({ data: { email, passwordHash: "unused" } })).id);
    }
    await assignRole(db.prisma, actor, ids[0]!, "clerk");
    await assignRole(db.prisma, actor, ids[0]!, "reader");
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("GET /users pages with limit and cursor, searches with q, and answers as documented", async () => {
    const first = await usersPage(db.prisma, new URLSearchParams({ limit: "2" }));
    expect(first.data.map((u) => u.email)).toEqual(["a@example.com", "b@example.com"]);
    expect(first.data[0]).toMatchObject({ id: ids[0], role: "member", roles: ["clerk", "reader"] });
    expect(check("GET", "/users", 200, JSON.stringify(first))).toEqual([]);
    const rest = await usersPage(db.prisma, new URLSearchParams({ limit: "2", cursor: first.next_cursor! }));
    expect(rest).toMatchObject({ data: [{ email: "c@example.com" }], next_cursor: null });
    expect((await usersPage(db.prisma, new URLSearchParams({ q: "B@EXAMPLE" }))).data.map((u) => u.id)).toEqual([ids[1]]);
  });

  it("GET /users refuses a bad limit or cursor as invalid_request naming the parameter", async () => {
    expect(await apiError(usersPage(db.prisma, new URLSearchParams({ cursor: "ca_abc" })))).toEqual({
      status: 400,
      code: "invalid_request",
      fields: { cursor: "is not a cursor returned by a previous page" },
    });
    expect(await apiError(usersPage(db.prisma, new URLSearchParams({ limit: "0" })))).toMatchObject({ code: "invalid_request", fields: { limit: expect.any(String) } });
    expect(await apiError(usersPage(db.prisma, new URLSearchParams({ q: "x\u0000" })))).toMatchObject({ code: "invalid_request", fields: { q: expect.any(String) } });
  });

  it("GET /users/{id}/roles: the roles and the union of their permissions; 404 for no such user", async () => {
    const roles = await rolesOfUserOrNotFound(db.prisma, ids[0]!.toUpperCase());
    expect(roles).toEqual({ roles: ["clerk", "reader"], permissions: ["books.read", "books.write"] });
    expect(check("GET", `/users/${ids[0]}/roles`, 200, JSON.stringify(roles))).toEqual([]);
    expect(await rolesOfUserOrNotFound(db.prisma, ids[2]!)).toEqual({ roles: [], permissions: [] });
    expect(await apiError(rolesOfUserOrNotFound(db.prisma, "nobody"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await apiError(rolesOfUserOrNotFound(db.prisma, "00000000-0000-7000-8000-000000000000"))).toMatchObject({ status: 404 });
  });

  it("DELETE /users/{id}/roles/{role}: 404 when the role is not held, and the lib's 404s otherwise", async () => {
    await unassignRoleOrNotFound(db.prisma, actor, ids[0]!, "reader");
    expect((await rolesOfUserOrNotFound(db.prisma, ids[0]!)).roles).toEqual(["clerk"]);
    expect(await apiError(unassignRoleOrNotFound(db.prisma, actor, ids[0]!, "reader"))).toMatchObject({
      status: 404,
      code: "not_found",
    });
    expect(await apiError(unassignRoleOrNotFound(db.prisma, actor, ids[0]!, "ghost"))).toMatchObject({ name: "DomainError", code: "not_found" });
  });

  it("scopes and roles leave the lib in their documented wire shape", async () => {
    const scope = toWireScope(await createCustomScope(db.prisma, actor, { name: "read:books", description: "See your books", permissions: ["books.read"] }));
    expect(check("POST", "/scopes", 201, JSON.stringify(scope))).toEqual([]);
    expect(check("GET", "/scopes", 200, JSON.stringify({ data: [scope] }))).toEqual([]);
    const roles = (await listRoles(db.prisma)).map(toWireRole);
    expect(roles.find((r) => r.name === "clerk")).toMatchObject({ is_default: false, user_count: 1 });
    expect(check("GET", "/roles", 200, JSON.stringify({ data: roles }))).toEqual([]);
    expect(check("PATCH", `/roles/clerk`, 200, JSON.stringify(roles[0]))).toEqual([]);
  });
});

describe("the scope, role and user part of the OpenAPI document", () => {
  const strip = (s: object) => JSON.parse(JSON.stringify(s, (k, v) => (k === "description" || k === "$schema" ? undefined : v)));

  it("takes its request bodies from lib/rbac's input schemas", () => {
    const schemas = doc.components.schemas as Record<string, object>;
    expect(strip(schemas.CreateCustomScope!)).toEqual(strip(z.toJSONSchema(customScopeInput, { io: "input" })));
    expect(strip(schemas.UpdateCustomScope!)).toEqual(strip(z.toJSONSchema(customScopePatch, { io: "input" })));
    expect(strip(schemas.CreateRole!)).toEqual(strip(z.toJSONSchema(roleInput, { io: "input" })));
    expect(strip(schemas.UpdateRole!)).toEqual(strip(z.toJSONSchema(rolePatch, { io: "input" })));
    expect(schemas.CreateCustomScope).toMatchObject({ required: ["name", "description"], additionalProperties: false });
  });

  it("documents every status the endpoints answer with, and refuses what they never send", () => {
    const error = (code: string) => JSON.stringify({ error: code, error_description: "x" });
    expect(check("DELETE", "/roles/member", 409, error("conflict"))).toEqual([]);
    expect(check("POST", "/scopes", 409, error("conflict"))).toEqual([]);
    expect(check("PUT", "/users/u/roles/member", 204, "")).toEqual([]);
    expect(check("DELETE", "/users/u/roles/member", 404, error("not_found"))).toEqual([]);
    expect(check("PUT", "/default-role", 200, JSON.stringify({ default_role: null }))).toEqual([]);
    expect(check("GET", "/default-role", 200, JSON.stringify({ default_role: "member" }))).toEqual([]);
    expect(check("GET", "/users", 400, error("invalid_request"))).toEqual([]);
    expect(check("GET", "/default-role", 200, JSON.stringify({ name: "member" }))).not.toEqual([]);
    expect(check("GET", "/users", 200, JSON.stringify({ data: [{ id: "u", email: "e", name: null, role: "admin", roles: [], created_at: "2026-01-01T00:00:00.000Z" }], next_cursor: null }))).not.toEqual([]);
    expect(check("GET", "/users", 200, JSON.stringify({ data: [{ id: "u", email: "e", name: null, role: "member", roles: [], created_at: "2026-01-01T00:00:00.000Z", password_hash: "x" }], next_cursor: null }))).not.toEqual([]);
    expect(check("PUT", "/users/u/roles/member", 200, "{}")).not.toEqual([]);
    expect(check("DELETE", "/scopes/a", 409, error("conflict"))).not.toEqual([]);
  });
});
