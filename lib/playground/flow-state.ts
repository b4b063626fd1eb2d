import { timingSafeEqual } from "node:crypto";
import * as oauth from "oauth4webapi";
import { seal, unseal, UnsealError } from "../crypto/seal";
import { randomToken } from "../crypto/tokens";

/** The cookie that carries one playground sign-in from "Try sign-in" to its callback. */
export const PLAYGROUND_COOKIE = "ca_playground";
/** Sent only to the callback page (and its actions), nowhere else. */
export const PLAYGROUND_COOKIE_PATH = "/dashboard/playground/";
/** How long a playground sign-in may take, from "Try sign-in" to the code's exchange. */
export const PLAYGROUND_FLOW_TTL_S = 10 * 60;
/** The purpose of the key the flow is sealed with (derived from the server secret). */
export const PLAYGROUND_SEAL_PURPOSE = "playground-flow";
const AAD = "connected-apps playground flow v1";

/** One playground sign-in: what the callback must find again. Never stored on the server. */
export interface PlaygroundFlow {
  clientId: string;
  /** The owner who started it: only they can finish it. */
  ownerId: string;
  state: string;
  nonce: string;
  /** RFC 7636 §4.1. */
  codeVerifier: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** A playground step that cannot go on, with what to tell the owner. */
export class PlaygroundError extends Error {
  override name = "PlaygroundError";
}

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

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Opens the cookie a callback came with and checks it answers this callback:
 * sealed by this server, started by this owner, not expired, and the
 * `state` the authorization server sent back is the one it holds (RFC 6749
 * §10.12). The caller deletes the cookie whatever the outcome: a flow is
 * used once.
 */
export function openFlow(sealed: string | undefined, check: { state: string | null; ownerId: string; now: Date }, key: Buffer): PlaygroundFlow {
  if (!sealed) throw new PlaygroundError("No playground sign-in is in progress in this browser (it was used already or never started). Start again from the app's page.");
  let flow: PlaygroundFlow;
  try {
    flow = JSON.parse(unseal(sealed, key, AAD)) as PlaygroundFlow;
  } catch (error) {
    if (!(error instanceof UnsealError)) throw error;
    throw new PlaygroundError("This playground sign-in cannot be read (the server secret changed, or the cookie was altered). Start again from the app's page.");
  }
  if (flow.ownerId !== check.ownerId) throw new PlaygroundError("This playground sign-in was started by another owner. Start one of your own from the app's page.");
  if (check.now.getTime() >= flow.expiresAt) throw new PlaygroundError(`This playground sign-in expired (it lasts ${PLAYGROUND_FLOW_TTL_S / 60} minutes). Start again from the app's page.`);
  if (!check.state || !sameText(check.state, flow.state)) {
    throw new PlaygroundError("The state in the callback does not match the sign-in this browser started, so the answer was not used. Start again from the app's page.");
  }
  return flow;
}

/** The flow's client and expiry for the callback page, or null without a readable cookie (nothing is checked or used). */
export function peekFlow(sealed: string | undefined, key: Buffer): Pick<PlaygroundFlow, "clientId" | "ownerId"> | null {
  if (!sealed) return null;
  try {
    const { clientId, ownerId } = JSON.parse(unseal(sealed, key, AAD)) as PlaygroundFlow;
    return { clientId, ownerId };
  } catch (error) {
    if (error instanceof UnsealError) return null;
    throw error;
  }
}
