import { describe, expect, it } from "vitest";
import { isUuid, uuidv7 } from "./uuid";

describe("uuidv7", () => {
  it("is a version 7, variant 10 UUID carrying the time in its first 48 bits", () => {
    const at = Date.UTC(2026, 11, 3, 12, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(at);
  });

  it("sorts by time and never repeats", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 1000 }, () => uuidv7(1)))).toHaveProperty("size", 1000);
  });
});

describe("isUuid", () => {
  it("accepts the ids this server writes", () => {
    expect(isUuid(uuidv7())).toBe(true);
    expect(isUuid("00000000-0000-0000-0000-000000000000")).toBe(true);
  });

  it.each([
    ["upper case", "0190A3C4-1B2C-7D3E-8F40-123456789ABC"],
    ["no dashes", "0190a3c41b2c7d3e8f40123456789abc"],
    ["braces", "{0190a3c4-1b2c-7d3e-8f40-123456789abc}"],
    ["one digit short", "0190a3c4-1b2c-7d3e-8f40-123456789ab"],
    ["a character after", "0190a3c4-1b2c-7d3e-8f40-123456789abc0"],
    ["a character before", "x0190a3c4-1b2c-7d3e-8f40-123456789abc"],
    ["a line break after", "0190a3c4-1b2c-7d3e-8f40-123456789abc\n"],
    ["not hex", "0190a3c4-1b2c-7d3e-8f40-123456789abg"],
    ["empty", ""],
  ])("refuses %s", (_, value) => {
    expect(isUuid(value)).toBe(false);
  });
});
