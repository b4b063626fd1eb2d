import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newFlow, openFlow, openSpentFlow, peekFlow, PlaygroundError, PLAYGROUND_FLOW_TTL_S, PLAYGROUND_RESULT_TTL_S, spentFlow } from "./flow-state";

const key = randomBytes(32);
const now = new Date("2026-12-05T03:00:00Z");
const started = () => newFlow({ clientId: "ca_app", ownerId: "owner-1", now }, key);

/** The PlaygroundError message a check refuses with, or "ok". */
function refusal(run: () => unknown): string {
  try {
    run();
    return "ok";
  } catch (error) {
    if (error instanceof PlaygroundError) return error.message;
    throw error;
  }
}

describe("playground flow state", () => {
  it("opens for the callback that carries its state, before it expires", () => {
    const { flow, sealed } = started();
    expect(openFlow(sealed, { state: flow.state, now: new Date(flow.expiresAt - 1) }, key)).toEqual(flow);
    expect(flow.expiresAt - now.getTime()).toBe(PLAYGROUND_FLOW_TTL_S * 1000);
  });

  it("is unguessable and sealed: 256-bit values, none readable in the cookie", () => {
    const a = started();
    const b = started();
    for (const value of [a.flow.state, a.flow.nonce, a.flow.codeVerifier]) {
      expect(value).toMatch(/^[\w-]{43}$/);
      expect(a.sealed).not.toContain(value);
    }
    expect(new Set([a.flow.state, b.flow.state, a.flow.nonce, b.flow.nonce, a.flow.codeVerifier, b.flow.codeVerifier]).size).toBe(6);
    expect(a.sealed).not.toContain("owner-1");
  });

  it("refuses another state, a missing state, an expired flow, no cookie, an altered cookie and another server's", () => {
    const { flow, sealed } = started();
    const ok = { state: flow.state, now };
    expect(refusal(() => openFlow(sealed, { ...ok, state: started().flow.state }, key))).toMatch(/state in the callback does not match/);
    expect(refusal(() => openFlow(sealed, { ...ok, state: null }, key))).toMatch(/state in the callback does not match/);
    expect(refusal(() => openFlow(sealed, { ...ok, state: flow.state.slice(1) }, key))).toMatch(/state in the callback does not match/);
    expect(refusal(() => openFlow(sealed, { ...ok, now: new Date(flow.expiresAt) }, key))).toMatch(/expired/);
    expect(refusal(() => openFlow(undefined, ok, key))).toMatch(/No playground sign-in is in progress/);
    const altered = sealed.slice(0, -2) + (sealed.endsWith("AA") ? "BB" : "AA");
    expect(refusal(() => openFlow(altered, ok, key))).toMatch(/cannot be read/);
    expect(refusal(() => openFlow("garbage", ok, key))).toMatch(/cannot be read/);
    expect(refusal(() => openFlow(sealed, ok, randomBytes(32)))).toMatch(/cannot be read/);
  });

  it("once used, keeps the app and owner for an hour of refreshes, and no state, nonce or verifier", () => {
    const { flow, sealed } = started();
    const spent = spentFlow(flow, now, key);
    expect(refusal(() => openFlow(spent, { state: flow.state, now }, key))).toMatch(/used already/);
    expect(refusal(() => openSpentFlow(sealed, now, key))).toMatch(/no tokens yet/);
    const opened = openSpentFlow(spent, new Date(now.getTime() + PLAYGROUND_RESULT_TTL_S * 1000 - 1), key);
    expect(opened).toEqual({ clientId: "ca_app", ownerId: "owner-1", state: "", nonce: "", codeVerifier: "", expiresAt: now.getTime() + PLAYGROUND_RESULT_TTL_S * 1000, spent: true });
    expect(refusal(() => openSpentFlow(spent, new Date(opened.expiresAt), key))).toMatch(/expired/);
    expect(refusal(() => openSpentFlow(undefined, now, key))).toMatch(/No playground sign-in/);
  });

  it("peeks at an unexpired flow without checking anything else, or null", () => {
    const { flow, sealed } = started();
    expect(peekFlow(sealed, key, now)).toEqual(flow);
    expect(peekFlow(sealed, key, new Date(flow.expiresAt))).toBeNull();
    expect(peekFlow(sealed, randomBytes(32), now)).toBeNull();
    expect(peekFlow(undefined, key, now)).toBeNull();
  });
});
