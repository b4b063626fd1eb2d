import { describe, expect, it, vi } from "vitest";
import { DEFAULT_PENDING_LIMITS } from "./authorize/pending-limits";
import { createOAuthContext } from "./context";
import type { OAuthStore } from "./store";

// The protocol context's defaults are what a server without configuration runs with: each must be the safe one.
describe("createOAuthContext", () => {
  const fakeStore = () => ({ recordClientAuthentication: vi.fn(async () => {}), addActivity: vi.fn(async () => {}) });
  const create = (store = fakeStore(), extra = {}) =>
    createOAuthContext({ store: store as unknown as OAuthStore, issuer: "https://idp.example", keyFor: () => Buffer.alloc(32), ...extra });

  it("bounds pending requests by the defaults, or by the given limits", () => {
    expect(create().pendingLimits).toEqual(DEFAULT_PENDING_LIMITS);
    const limits = { max: 5, perSource: 1 };
    expect(create(undefined, { pendingLimits: limits }).pendingLimits).toBe(limits);
  });

  it.each(["https://127.0.0.1:1/jwks", "https://[::1]:1/jwks", "https://10.0.0.1:1/jwks"])(
    "fetches jwks_uri strictly by default: %s is refused before any connection",
    async (uri) => {
      await expect(create().remoteJwks.get(uri)).rejects.toMatchObject({ name: "CimdFetchError", code: "address_refused" });
    },
  );

  it("records client authentication and activity in the store by default", async () => {
    const store = fakeStore();
    const ctx = create(store);
    await ctx.lastAuthentication.record("app-1", "client_secret_basic", new Date());
    expect(store.recordClientAuthentication).toHaveBeenCalledWith("app-1", "client_secret_basic", expect.any(Date));
    ctx.activity.count("app-1", "token.authorization_code", new Date());
    await ctx.activity.flush();
    expect(store.addActivity).toHaveBeenCalledTimes(1);
  });

  it("uses the given JWKS cache, recorder and counter instead", () => {
    const remoteJwks = { get: vi.fn() };
    const lastAuthentication = { record: vi.fn() };
    const activity = { count: vi.fn(), flush: vi.fn(), held: vi.fn() };
    const ctx = create(undefined, { remoteJwks, lastAuthentication, activity });
    expect(ctx.remoteJwks).toBe(remoteJwks);
    expect(ctx.lastAuthentication).toBe(lastAuthentication);
    expect(ctx.activity).toBe(activity);
  });
});
