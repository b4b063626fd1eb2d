import { expect, test } from "@playwright/test";
import { Provider, type Reply } from "./oauth/flows";

// Single use under contention: many simultaneous requests with one code or
// one (rotating) refresh token. The database decides the winner, so this
// holds with any number of server instances; it runs against the PGlite
// server and, with TEST_DATABASE_URL, the PostgreSQL one.

const PARALLEL = 50;

const outcome = (r: Reply) => (r.status === 200 ? "200" : `${r.status} ${r.json?.error ?? r.text.slice(0, 200)}`);

test.describe("concurrent single use", () => {
  test.setTimeout(120_000);

  test(`${PARALLEL} parallel redemptions of one code: one wins, the rest are second uses that revoke its tokens`, async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const code = await op.obtainCode(app);
    const replies = await Promise.all(Array.from({ length: PARALLEL }, () => op.redeem(app, code)));
    const outcomes = replies.map(outcome).sort();
    expect(outcomes).toEqual(["200", ...Array<string>(PARALLEL - 1).fill("400 invalid_grant")]);
    for (const reply of replies) expect(reply.headers.get("cache-control")).toContain("no-store");
    const winner = replies.find((r) => r.status === 200)!.json;
    expect(winner.refresh_token).toBeTruthy();
    expect(await op.isActive(winner.access_token)).toBe(false);
    expect(await op.isActive(winner.refresh_token)).toBe(false);
    expect(outcome(await op.refresh(app, winner.refresh_token))).toBe("400 invalid_grant");
  });

  test(`${PARALLEL} parallel refreshes of one public refresh token (no reuse interval): one wins, and the family is revoked`, async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party_public", { refresh_token_reuse_seconds: 0 });
    const first = await op.tokens(app);
    expect(await op.isActive(first.access_token)).toBe(true);
    const replies = await Promise.all(Array.from({ length: PARALLEL }, () => op.refresh(app, first.refresh_token!)));
    const outcomes = replies.map(outcome).sort();
    expect(outcomes).toEqual(["200", ...Array<string>(PARALLEL - 1).fill("400 invalid_grant")]);
    const winner = replies.find((r) => r.status === 200)!.json;
    expect(winner.refresh_token).toBeTruthy();
    expect(winner.refresh_token).not.toBe(first.refresh_token);
    expect(outcome(await op.refresh(app, winner.refresh_token))).toBe("400 invalid_grant");
    expect(await op.isActive(winner.access_token)).toBe(false);
    expect(await op.isActive(first.access_token)).toBe(false);
    expect(await op.isActive(winner.refresh_token)).toBe(false);
  });

  test(`${PARALLEL} parallel refreshes of one public refresh token within the reuse interval: the first and at most one retry win, and the family is revoked`, async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party_public");
    const first = await op.tokens(app);
    const replies = await Promise.all(Array.from({ length: PARALLEL }, () => op.refresh(app, first.refresh_token!)));
    const won = replies.filter((r) => r.status === 200);
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(won.length).toBeLessThanOrEqual(2);
    expect(replies.filter((r) => r.status !== 200).map(outcome)).toEqual(Array<string>(PARALLEL - won.length).fill("400 invalid_grant"));
    for (const reply of won) expect(await op.isActive(reply.json.refresh_token)).toBe(false);
  });
});
