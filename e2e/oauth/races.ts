// Single use under contention, as what a client sees: many simultaneous
// requests with one code or one (rotating) refresh token. The database
// decides the winner, so these hold with any number of server instances;
// oauth-concurrency.spec.ts runs them against one server, instances.spec.ts
// through a proxy that spreads them over two.
import { expect } from "@playwright/test";
import type { Provider, Reply } from "./flows";

export const outcome = (r: Reply) => (r.status === 200 ? "200" : `${r.status} ${r.json?.error ?? r.text.slice(0, 200)}`);

/** The outcomes sorted: exactly one 200, every other request `invalid_grant`. */
function expectOneWinner(replies: Reply[]): void {
  expect(replies.map(outcome).sort()).toEqual(["200", ...Array<string>(replies.length - 1).fill("400 invalid_grant")]);
}

/**
 * `parallel` simultaneous redemptions of one code (a fresh confidential
 * app): one wins, the rest are second uses, which revoke the winner's tokens
 * (RFC 6749 §4.1.2). Returns every reply.
 */
export async function raceCodeRedemption(op: Provider, parallel: number): Promise<Reply[]> {
  const app = await op.createApp("first_party");
  const code = await op.obtainCode(app);
  const replies = await Promise.all(Array.from({ length: parallel }, () => op.redeem(app, code)));
  expectOneWinner(replies);
  for (const reply of replies) expect(reply.headers.get("cache-control")).toContain("no-store");
  const winner = replies.find((r) => r.status === 200)!.json;
  expect(winner.refresh_token).toBeTruthy();
  expect(await op.isActive(winner.access_token)).toBe(false);
  expect(await op.isActive(winner.refresh_token)).toBe(false);
  expect(outcome(await op.refresh(app, winner.refresh_token))).toBe("400 invalid_grant");
  return replies;
}

/**
 * `parallel` simultaneous refreshes of one rotating (public) refresh token.
 * Without a reuse interval (`reuseSeconds` 0) one wins and gets a new
 * token, the rest are replays, which revoke the whole family, the winner's
 * new tokens included (RFC 9700 §4.14). With one, a use that arrives just
 * after the first committed counts as its retry, so the first and at most
 * one retry win; the rest still revoke the family. Returns every reply.
 */
export async function raceRefresh(op: Provider, parallel: number, reuseSeconds = 0): Promise<Reply[]> {
  const app = await op.createApp("first_party_public", { refresh_token_reuse_seconds: reuseSeconds });
  const first = await op.tokens(app);
  expect(await op.isActive(first.access_token)).toBe(true);
  const replies = await Promise.all(Array.from({ length: parallel }, () => op.refresh(app, first.refresh_token!)));
  const winners = replies.filter((r) => r.status === 200);
  if (reuseSeconds === 0) expectOneWinner(replies);
  else {
    expect(winners.length).toBeGreaterThanOrEqual(1);
    expect(winners.length).toBeLessThanOrEqual(2);
    expect(replies.filter((r) => r.status !== 200).map(outcome)).toEqual(Array<string>(parallel - winners.length).fill("400 invalid_grant"));
  }
  for (const winner of winners.map((r) => r.json)) {
    expect(winner.refresh_token).toBeTruthy();
    expect(winner.refresh_token).not.toBe(first.refresh_token);
    expect(await op.isActive(winner.access_token)).toBe(false);
    expect(await op.isActive(winner.refresh_token)).toBe(false);
    expect(outcome(await op.refresh(app, winner.refresh_token))).toBe("400 invalid_grant");
  }
  expect(await op.isActive(first.access_token)).toBe(false);
  return replies;
}
