import { createHmac, timingSafeEqual } from "node:crypto";
import type { OAuthContext } from "../context";

/**
 * Server-provided DPoP nonces (RFC 9449 §8, §9), stateless: a nonce is its
 * minute (the step number) and an HMAC of it under a key derived from the
 * server secret, so every instance issues and accepts the same ones without
 * storing anything. The current minute's nonce is handed out; a nonce is
 * accepted for NONCE_MAX_AGE_S (and one step ahead: an instance whose clock
 * runs a little behind the one that issued it).
 */
export const NONCE_STEP_S = 60;
export const NONCE_MAX_AGE_S = 300;
const STEPS_BACK = NONCE_MAX_AGE_S / NONCE_STEP_S;

const KEY_PURPOSE = "dpop-nonce";
const keys = new WeakMap<OAuthContext["keyFor"], Buffer>();
function nonceKey(ctx: Pick<OAuthContext, "keyFor">): Buffer {
  let key = keys.get(ctx.keyFor);
  if (!key) keys.set(ctx.keyFor, (key = ctx.keyFor(KEY_PURPOSE)));
  return key;
}

const stepOf = (now: Date) => Math.floor(now.getTime() / 1000 / NONCE_STEP_S);
const mac = (key: Buffer, step: number) => createHmac("sha256", key).update(`dpop-nonce:${step}`).digest().subarray(0, 16);
/** Nonces are only NQCHARs (RFC 9449 §8.1): base36 step, a dot, base64url. */
const format = (step: number, tag: Buffer) => `${step.toString(36)}.${tag.toString("base64url")}`;

/** The nonce of the current minute. */
export function currentNonce(ctx: Pick<OAuthContext, "keyFor">, now: Date): string {
  const step = stepOf(now);
  return format(step, mac(nonceKey(ctx), step));
}

/** Whether `nonce` is one this server issued within the last NONCE_MAX_AGE_S. */
export function nonceValid(ctx: Pick<OAuthContext, "keyFor">, nonce: string, now: Date): boolean {
  const match = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(nonce);
  if (!match) return false;
  const step = parseInt(match[1]!, 36);
  const current = stepOf(now);
  if (step < current - STEPS_BACK || step > current + 1) return false;
  return timingSafeEqual(Buffer.from(match[2]!, "base64url"), mac(nonceKey(ctx), step));
}

/**
 * The DPoP-Nonce to send with a response to a request that carried a DPoP
 * proof (RFC 9449 §8.2: a server may hand out a fresh nonce with any
 * answer), so the client's next proof (at a resource endpoint, where a
 * nonce is required) needs no extra round trip. None without a proof.
 */
export function nonceFor(ctx: Pick<OAuthContext, "keyFor" | "clock">, dpopHeader: string | null): string | undefined {
  return dpopHeader === null ? undefined : currentNonce(ctx, ctx.clock());
}
