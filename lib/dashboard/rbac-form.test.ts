import { describe, expect, it } from "vitest";
import { RbacConflictError, RbacNotFoundError, RbacValidationError } from "../rbac/errors";
import { permissionsOf, rbacErrorResult, roleFromForm, scopeFromForm } from "./rbac-form";

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.set(name, value);
  return data;
};

describe("scope and role forms", () => {
  it("split permissions on spaces, commas and new lines", () => {
    expect(permissionsOf(" invoices.read,invoices.pay\nbilling:admin  ")).toEqual(["invoices.read", "invoices.pay", "billing:admin"]);
    expect(permissionsOf("   ")).toEqual([]);
  });

  it("send only the fields the form has", () => {
    expect(scopeFromForm(form({ name: " read:x ", description: "See x", permissions: "a b" }))).toEqual({
      name: "read:x",
      description: "See x",
      permissions: ["a", "b"],
    });
    expect(scopeFromForm(form({ permissions: "" }))).toEqual({ permissions: [] });
    expect(roleFromForm(form({ description: "  " }))).toEqual({ description: null });
    expect(roleFromForm(form({ description: "Pays" }))).toEqual({ description: "Pays" });
  });

  it("turn lib/rbac's errors into readable results, naming a refused permission", () => {
    const error = new RbacValidationError({ "permissions[1]": "must be 1-100 letters", name: "is a built-in scope" });
    expect(rbacErrorResult(error, { permissions: ["ok", "bad!"] })).toEqual({
      ok: false,
      error: "Some fields need fixing.",
      fields: { "permissions[1]": "“bad!” must be 1-100 letters", name: "is a built-in scope" },
    });
    expect(rbacErrorResult(new RbacNotFoundError("No role named x"))).toEqual({
      ok: false,
      error: "No role named x. It may have been deleted: reload the page.",
    });
    expect(rbacErrorResult(new RbacConflictError("A role named x already exists"))).toMatchObject({ error: "A role named x already exists." });
    expect(() => rbacErrorResult(new Error("database down"))).toThrow("database down");
  });
});
