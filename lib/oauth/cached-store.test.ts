import { describe, expect, it } from "vitest";
import { CACHE_MAX_AGE_MS, CLIENT_CACHE_SIZE, cachedStore } from "./cached-store";
import type { ChangeFeed, ChangeTopic, OAuthStore } from "./store";

/** A feed the test drives, and a store that counts its reads and can be held mid-read. */
function setup() {
  const listeners: ((topic: ChangeTopic) => void)[] = [];
  const state = { live: true, now: 0, reads: 0, dcr: false, gate: null as Promise<void> | null };
  const feed: ChangeFeed = { subscribe: (l) => void listeners.push(l), live: () => state.live };
  const store = {
    async registrationSettings() {
      state.reads++;
      const value = { dcrEnabled: state.dcr, cimdEnabled: false };
      await state.gate;
      return value;
    },
    async resourceServers() {
      state.reads++;
      return ["https://api.example.com"];
    },
    async findClient(clientId: string) {
      state.reads++;
      return clientId.startsWith("ca_") ? { clientId, active: !state.dcr } : null;
    },
  } as unknown as OAuthStore;
  const cached = cachedStore(store, feed, () => state.now);
  const announce = (topic: ChangeTopic) => listeners.forEach((l) => l(topic));
  return { state, cached, announce };
}

describe("cachedStore", () => {
  it("reads settings once while nothing changes, and again after a settings change", async () => {
    const { state, cached, announce } = setup();
    expect(await cached.registrationSettings()).toEqual({ dcrEnabled: false, cimdEnabled: false });
    await cached.registrationSettings();
    await cached.resourceServers();
    await cached.resourceServers();
    expect(state.reads).toBe(2);
    state.dcr = true;
    announce("keys");
    announce("clients");
    expect((await cached.registrationSettings()).dcrEnabled).toBe(false);
    announce("settings");
    expect((await cached.registrationSettings()).dcrEnabled).toBe(true);
    expect(state.reads).toBe(3);
  });

  it("caches nothing while the feed is down", async () => {
    const { state, cached } = setup();
    state.live = false;
    await cached.registrationSettings();
    await cached.registrationSettings();
    expect(state.reads).toBe(2);
    // A value cached before the feed went down is not served either.
    state.live = true;
    await cached.registrationSettings();
    state.live = false;
    await cached.registrationSettings();
    expect(state.reads).toBe(4);
  });

  it("reads again after the maximum age even without a change", async () => {
    const { state, cached } = setup();
    await cached.registrationSettings();
    state.now = CACHE_MAX_AGE_MS - 1;
    await cached.registrationSettings();
    expect(state.reads).toBe(1);
    state.now = CACHE_MAX_AGE_MS;
    await cached.registrationSettings();
    expect(state.reads).toBe(2);
  });

  it("does not keep a read that a change overtook", async () => {
    const { state, cached, announce } = setup();
    let release!: () => void;
    state.gate = new Promise((resolve) => (release = resolve));
    const stale = cached.registrationSettings();
    state.dcr = true;
    announce("settings");
    release();
    expect((await stale).dcrEnabled).toBe(false);
    state.gate = null;
    expect((await cached.registrationSettings()).dcrEnabled).toBe(true);
  });

  it("keeps clients until a client change, and never remembers an unknown client_id", async () => {
    const { state, cached, announce } = setup();
    expect(await cached.findClient("ca_1")).toEqual({ clientId: "ca_1", active: true });
    await cached.findClient("ca_1");
    expect(state.reads).toBe(1);
    expect(await cached.findClient("https://new.example/client")).toBeNull();
    expect(await cached.findClient("https://new.example/client")).toBeNull();
    expect(state.reads).toBe(3);
    state.dcr = true; // the app is disabled
    announce("settings");
    announce("keys");
    expect((await cached.findClient("ca_1"))!.active).toBe(true);
    announce("clients");
    expect((await cached.findClient("ca_1"))!.active).toBe(false);
  });

  it("remembers at most CLIENT_CACHE_SIZE clients, dropping the least recently read", async () => {
    const { state, cached } = setup();
    await cached.findClient("ca_first");
    for (let i = 0; i < CLIENT_CACHE_SIZE - 1; i++) await cached.findClient(`ca_${i}`);
    await cached.findClient("ca_first"); // read again: now the most recent
    await cached.findClient("ca_one_more"); // evicts ca_0, the least recently read
    const reads = state.reads;
    await cached.findClient("ca_first");
    expect(state.reads).toBe(reads);
    await cached.findClient("ca_0");
    expect(state.reads).toBe(reads + 1);
  });
});
