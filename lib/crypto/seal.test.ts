import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seal, unseal, UnsealError } from "./seal";

const key = randomBytes(32);

describe("seal / unseal", () => {
  it("round-trips, and never shows the plaintext", () => {
    const sealed = seal('{"d":"private"}', key, "kid-1");
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain("private");
    expect(unseal(sealed, key, "kid-1")).toBe('{"d":"private"}');
    expect(seal("same", key, "a")).not.toBe(seal("same", key, "a")); // fresh IV each time
  });

  it("refuses another key, another row (aad), and any alteration", () => {
    const sealed = seal("secret", key, "kid-1");
    expect(() => unseal(sealed, randomBytes(32), "kid-1")).toThrow(UnsealError);
    expect(() => unseal(sealed, key, "kid-2")).toThrow(UnsealError);
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[2]!, "base64url");
    flipped[0]! ^= 1;
    parts[2] = flipped.toString("base64url");
    expect(() => unseal(parts.join("."), key, "kid-1")).toThrow(UnsealError);
    expect(() => unseal("garbage", key, "kid-1")).toThrow(UnsealError);
  });
});
