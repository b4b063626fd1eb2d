import { describe, expect, it } from "vitest";
import { DomainError } from "../domain-error";
import { customScopeInput, parseRbac, roleInput, rolePatch } from "./input";

const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError && e.code === "invalid_input") return e.fields;
    throw e;
  }
  return null;
};

describe("scope and role input", () => {
  it("says what is wrong with each field in words a person can act on", () => {
    expect(fieldsOf(() => parseRbac(customScopeInput, { name: "read:x", description: "  ", permissions: Array(51).fill("a") }))).toEqual({
      description: "is required",
      permissions: "must list at most 50 permissions",
    });
    expect(fieldsOf(() => parseRbac(customScopeInput, { name: "read:x", description: "x".repeat(201), permissions: ["ok", "not ok"] }))).toEqual({
      description: "must be at most 200 characters",
      "permissions[1]": "must be 1-100 letters, digits or : . _ -, starting with a letter or digit",
    });
    expect(fieldsOf(() => parseRbac(rolePatch, { description: "x".repeat(201) }))).toEqual({ description: "must be at most 200 characters" });
  });

  it("names each unknown field rather than the whole body", () => {
    expect(fieldsOf(() => parseRbac(roleInput, { name: "clerk", owner: "me", colour: "red" }))).toEqual({
      owner: "is not a known field",
      colour: "is not a known field",
    });
  });

  it("trims descriptions, drops duplicate permissions and fills defaults", () => {
    expect(parseRbac(customScopeInput, { name: "read:x", description: " See x ", permissions: ["a", "a", "b"] })).toEqual({
      name: "read:x",
      description: "See x",
      permissions: ["a", "b"],
    });
    expect(parseRbac(roleInput, { name: "clerk" })).toEqual({ name: "clerk", description: null, permissions: [] });
  });
});
