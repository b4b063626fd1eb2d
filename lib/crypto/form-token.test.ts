import { describe, expect, it } from "vitest";
import { formToken, formTokenValid } from "./form-token";

describe("formToken", () => {
  const bindings = ["0190a3c4-1b2c-7d3e-8f40-123456789abc", "user-1"];

  it("is stable for one purpose and binding, and checks back", () => {
    const token = formToken("consent-csrf", bindings);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(formToken("consent-csrf", [...bindings])).toBe(token);
    expect(formTokenValid(token, "consent-csrf", bindings)).toBe(true);
  });

  it("is worth nothing for another purpose, another binding, or a changed token", () => {
    const token = formToken("consent-csrf", bindings);
    expect(formTokenValid(token, "end-session-csrf", bindings)).toBe(false);
    expect(formTokenValid(token, "consent-csrf", [bindings[0]!, "user-2"])).toBe(false);
    expect(formTokenValid(token, "consent-csrf", [bindings[0]!])).toBe(false);
    expect(formTokenValid(token.slice(1), "consent-csrf", bindings)).toBe(false);
    expect(formTokenValid(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, "consent-csrf", bindings)).toBe(false);
    expect(formTokenValid(undefined, "consent-csrf", bindings)).toBe(false);
    expect(formTokenValid("", "consent-csrf", bindings)).toBe(false);
  });

  it("keeps the bindings apart: moving a character across the boundary gives another token", () => {
    expect(formToken("consent-csrf", ["ab", "c"])).not.toBe(formToken("consent-csrf", ["a", "bc"]));
  });
});
