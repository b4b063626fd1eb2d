import { describe, expect, it } from "vitest";
import { formToken, formTokenValid } from "./form-token";

const CONSENT = Buffer.alloc(32, 1);
const END_SESSION = Buffer.alloc(32, 2);

describe("formToken", () => {
  const bindings = ["0190a3c4-1b2c-7d3e-8f40-123456789abc", "user-1"];

  it("is stable for one key and binding, and checks back", () => {
    const token = formToken(CONSENT, bindings);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(formToken(CONSENT, [...bindings])).toBe(token);
    expect(formTokenValid(token, CONSENT, bindings)).toBe(true);
  });

  it("is worth nothing under another key, another binding, or a changed token", () => {
    const token = formToken(CONSENT, bindings);
    expect(formTokenValid(token, END_SESSION, bindings)).toBe(false);
    expect(formTokenValid(token, CONSENT, [bindings[0]!, "user-2"])).toBe(false);
    expect(formTokenValid(token, CONSENT, [bindings[0]!])).toBe(false);
    expect(formTokenValid(token.slice(1), CONSENT, bindings)).toBe(false);
    expect(formTokenValid(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, CONSENT, bindings)).toBe(false);
    expect(formTokenValid(undefined, CONSENT, bindings)).toBe(false);
    expect(formTokenValid("", CONSENT, bindings)).toBe(false);
  });

  it("keeps the bindings apart: moving a character across the boundary gives another token", () => {
    expect(formToken(CONSENT, ["ab", "c"])).not.toBe(formToken(CONSENT, ["a", "bc"]));
  });
});
