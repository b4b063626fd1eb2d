import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { currentNonce, NONCE_STEP_S, nonceFor, nonceValid } from "./nonce";

// A server secret's derived keys, without a database: the nonce needs only keyFor (and clock for nonceFor).
const ctx = { keyFor: (purpose: string) => createHash("sha256").update(`test-secret:${purpose}`).digest() };
const NOW = new Date("2026-12-05T01:00:30Z");
const minutes = (n: number) => new Date(NOW.getTime() + n * NONCE_STEP_S * 1000);

describe("DPoP nonces", () => {
  it("a nonce is accepted exactly as issued: nothing before or after it", () => {
    const nonce = currentNonce(ctx, NOW);
    expect(nonceValid(ctx, nonce, NOW)).toBe(true);
    expect(nonceValid(ctx, `x${nonce}`, NOW)).toBe(false);
    expect(nonceValid(ctx, `${nonce}A`, NOW)).toBe(false);
    expect(nonceValid(ctx, ` ${nonce}`, NOW)).toBe(false);
  });

  it("a nonce's tag is bound to its minute: the tag of one minute under another minute's number is refused", () => {
    const earlier = currentNonce(ctx, minutes(-1));
    const [, tag] = currentNonce(ctx, NOW).split(".");
    const [step] = earlier.split(".");
    expect(nonceValid(ctx, earlier, NOW)).toBe(true);
    expect(nonceValid(ctx, `${step}.${tag}`, NOW)).toBe(false);
  });

  it("another server secret's nonce is refused", () => {
    const other = { keyFor: (purpose: string) => createHash("sha256").update(`other-secret:${purpose}`).digest() };
    expect(nonceValid(ctx, currentNonce(other, NOW), NOW)).toBe(false);
  });

  it("a response carries the current nonce only when its request carried a proof", () => {
    const withClock = { ...ctx, clock: () => NOW };
    expect(nonceFor(withClock, "a.proof.jwt")).toBe(currentNonce(ctx, NOW));
    expect(nonceFor(withClock, "")).toBe(currentNonce(ctx, NOW));
    expect(nonceFor(withClock, null)).toBeUndefined();
  });
});
