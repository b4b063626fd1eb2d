import { test } from "@playwright/test";
import { Provider } from "./oauth/flows";
import { raceCodeRedemption, raceRefresh } from "./oauth/races";

// Single use under contention (e2e/oauth/races.ts), against the PGlite
// server and, with TEST_DATABASE_URL, the PostgreSQL one; instances.spec.ts
// runs the same races over two instances.

const PARALLEL = 50;

test.describe("concurrent single use", () => {
  test.setTimeout(120_000);

  test(`${PARALLEL} parallel redemptions of one code: one wins, the rest are second uses that revoke its tokens`, async ({ baseURL }) => {
    await raceCodeRedemption(new Provider(baseURL), PARALLEL);
  });

  test(`${PARALLEL} parallel refreshes of one public refresh token (no reuse interval): one wins, and the family is revoked`, async ({ baseURL }) => {
    await raceRefresh(new Provider(baseURL), PARALLEL);
  });

  test(`${PARALLEL} parallel refreshes of one public refresh token within the default reuse interval: the first and at most one retry win, and the family is revoked`, async ({ baseURL }) => {
    await raceRefresh(new Provider(baseURL), PARALLEL, 30);
  });
});
