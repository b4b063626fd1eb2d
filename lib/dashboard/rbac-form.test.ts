import { describe, expect, it } from "vitest";
import { appNotFound } from "../clients/apps";
import { conflictError, invalidInput, notFoundError } from "../domain-error";
import { appErrorResult } from "./action-result";
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
    const error = invalidInput({ "permissions[1]": "must be 1-100 letters", name: "is a built-in scope" });
    expect(rbacErrorResult(error, { permissions: ["ok", "bad!"] })).toEqual({
      ok: false,
      error: "Some fields need fixing.",
      fields: { "permissions[1]": "“bad!” must be 1-100 letters", name: "is a built-in scope" },
    });
    expect(rbacErrorResult(notFoundError("No role named x"))).toEqual({
      ok: false,
      error: "No role named x. It may have been deleted: reload the page.",
    });
    expect(rbacErrorResult(conflictError("A role named x already exists"))).toMatchObject({ error: "A role named x already exists." });
    expect(() => rbacErrorResult(new Error("database down"))).toThrow("database down");
  });

  it("app forms speak of settings; the other codes read the same", () => {
    expect(appErrorResult(invalidInput({ name: "is required" }))).toEqual({ ok: false, error: "Some settings need fixing.", fields: { name: "is required" } });
    expect(appErrorResult(appNotFound("ca_x"))).toEqual({ ok: false, error: "No connected app with client_id ca_x. It may have been deleted: reload the page." });
    expect(appErrorResult(conflictError("No secret rotation is in progress"))).toEqual({
      ok: false,
      error: "No secret rotation is in progress.",
    });
    expect(() => appErrorResult(new TypeError("bug"))).toThrow("bug");
  });
});
