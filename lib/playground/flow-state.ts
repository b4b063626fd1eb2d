import { timingSafeEqual } from "node:crypto";
import * as oauth from "oauth4webapi";
import { seal, unseal, UnsealError } from "../crypto/seal";
import { randomToken } from "../crypto/tokens";

/** The cookie that carries one playground sign-in from "Try sign-in" to its callback, then its refreshes. */
export const PLAYGROUND_COOKIE = "ca_playground";
/** Sent only to the callback page (and its actions), nowhere else. */
export const PLAYGROUND_COOKIE_PATH = "/playground/";
/** How long a playground sign-in may take, from "Try sign-in" to the code's exchange. */
export const PLAYGROUND_FLOW_TTL_S = 10 * 60;
/** How long the result page may refresh its tokens after the exchange. */
export const PLAYGROUND_RESULT_TTL_S = 60 * 60;
/** The purpose of the key the flow is sealed with (derived from the server secret). */
export const PLAYGROUND_SEAL_PURPOSE = "playground-flow";
const AAD = "connected-apps playground flow v1";

/** One playground sign-in: what the callback must find again. Never stored on the server. */
export interface PlaygroundFlow {
  clientId: string;
  /** The owner who started it: the flow goes on only while they are an owner. */
  ownerId: string;
  state: string;
  nonce: string;
  /** RFC 7636 §4.1. */
  codeVerifier: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The callback used it: only refreshes remain (no state, nonce or verifier is kept). */
  spent?: true;
}

/** A playground step that cannot go on, with what to tell the owner. */
export class PlaygroundError extends Error {
  override name = "PlaygroundError";
}

const START_AGAIN = "Start again with Try sign-in on the app's page.";

/** A new flow (256-bit state, nonce and verifier) and the sealed cookie value that carries it. */
export function newFlow(input: { clientId: string; ownerId: string; now: Date }, key: Buffer): { flow: PlaygroundFlow; sealed: string } {
  const flow: PlaygroundFlow = {
    clientId: input.clientId,
    ownerId: input.ownerId,
    state: randomToken(32),
    nonce: randomToken(32),
    codeVerifier: oauth.generateRandomCodeVerifier(),
    expiresAt: input.now.getTime() + PLAYGROUND_FLOW_TTL_S * 1000,
  };
  return { flow, sealed: seal(JSON.stringify(flow), key, AAD) };
}

/** The cookie value once the callback used a flow: the app and owner, for refreshes; nothing of the flow's secrets. */
export function spentFlow(flow: PlaygroundFlow, now: Date, key: Buffer): string {
  const spent: PlaygroundFlow = { clientId: flow.clientId, ownerId: flow.ownerId, state: "", nonce: "", codeVerifier: "", expiresAt: now.getTime() + PLAYGROUND_RESULT_TTL_S * 1000, spent: true };
  return seal(JSON.stringify(spent), key, AAD);
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function unsealFlow(sealed: string, key: Buffer): PlaygroundFlow | null {
  try {
    return JSON.parse(unseal(sealed, key, AAD)) as PlaygroundFlow;
  } catch (error) {
    if (error instanceof UnsealError) return null;
    throw error;
  }
}

/** The flow a cookie carries, or null when there is none, this server did not seal it, or it expired (nothing else is checked). */
export function peekFlow(sealed: string | undefined, key: Buffer, now = new Date()): PlaygroundFlow | null {
  const flow = sealed ? unsealFlow(sealed, key) : null;
  return flow && now.getTime() < flow.expiresAt ? flow : null;
}

function readFlow(sealed: string | undefined, key: Buffer, now: Date): PlaygroundFlow {
  if (!sealed) throw new PlaygroundError(`No playground sign-in is in progress in this browser. ${START_AGAIN}`);
  const flow = unsealFlow(sealed, key);
  if (!flow) throw new PlaygroundError(`This playground sign-in cannot be read (the server secret changed, or the cookie was altered). ${START_AGAIN}`);
  if (now.getTime() >= flow.expiresAt) throw new PlaygroundError(`This playground sign-in expired. ${START_AGAIN}`);
  return flow;
}

/**
 * Opens the cookie a callback came with and checks it answers this callback:
 * sealed by this server, not used yet, not expired, and the `state` the
 * authorization server sent back is the one it holds (RFC 6749 §10.12).
 * The caller then replaces the cookie with its used form (spentFlow): a
 * flow is used once.
 */
export function openFlow(sealed: string | undefined, check: { state: string | null; now: Date }, key: Buffer): PlaygroundFlow {
  const flow = readFlow(sealed, key, check.now);
  if (flow.spent) throw new PlaygroundError(`This playground sign-in was used already. ${START_AGAIN}`);
  if (!check.state || !sameText(check.state, flow.state)) {
    throw new PlaygroundError(`The state in the callback does not match the sign-in this browser started, so the answer was not used. ${START_AGAIN}`);
  }
  return flow;
}

/** The used flow a refresh comes with: sealed by this server, used by the callback, within its hour. */
export function openSpentFlow(sealed: string | undefined, now: Date, key: Buffer): PlaygroundFlow {
  const flow = readFlow(sealed, key, now);
  if (!flow.spent) throw new PlaygroundError(`This playground sign-in has no tokens yet. ${START_AGAIN}`);
  return flow;
}
