import { afterEach, describe, expect, it, vi } from "vitest";
import { lastAuthenticationRecorder } from "./last-authentication";

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 4, 12, 0, seconds));

function recordingStore(fail = () => false) {
  const writes: string[] = [];
  return {
    writes,
    store: {
      async recordClientAuthentication(appId: string, method: string, when: Date) {
        await Promise.resolve();
        if (fail()) throw new Error("database unavailable");
        writes.push(`${appId} ${method} ${when.getUTCSeconds()}`);
      },
    },
  };
}

describe("lastAuthenticationRecorder", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes a client's first authentication, then at most once per interval, each client on its own", async () => {
    const { store, writes } = recordingStore();
    const recorder = lastAuthenticationRecorder(store, { intervalMs: 10_000 });
    await recorder.record("a", "client_secret_basic", at(0));
    await recorder.record("a", "client_secret_post", at(9));
    await recorder.record("b", "none", at(9));
    await recorder.record("a", "private_key_jwt", at(10));
    await recorder.record("a", "client_secret_basic", at(19));
    expect(writes).toEqual(["a client_secret_basic 0", "b none 9", "a private_key_jwt 10"]);
  });

  it("makes one write for concurrent authentications of one client", async () => {
    const { store, writes } = recordingStore();
    const recorder = lastAuthenticationRecorder(store, { intervalMs: 10_000 });
    await Promise.all(Array.from({ length: 20 }, () => recorder.record("a", "none", at(1))));
    expect(writes).toEqual(["a none 1"]);
  });

  it("treats a clock that went back as due (the store keeps the later time)", async () => {
    const { store, writes } = recordingStore();
    const recorder = lastAuthenticationRecorder(store, { intervalMs: 10_000 });
    await recorder.record("a", "none", at(30));
    await recorder.record("a", "none", at(5));
    expect(writes).toEqual(["a none 30", "a none 5"]);
  });

  it("logs a failed write without failing the request, and tries again at the next authentication", async () => {
    let down = true;
    const { store, writes } = recordingStore(() => down);
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const recorder = lastAuthenticationRecorder(store, { intervalMs: 10_000 });
    await expect(recorder.record("a", "client_secret_basic", at(0))).resolves.toBeUndefined();
    expect(log).toHaveBeenCalledOnce();
    expect(String(log.mock.calls[0]![0])).toContain("app a");
    expect(String(log.mock.calls[0]![0])).toContain("database unavailable");
    down = false;
    await recorder.record("a", "client_secret_basic", at(1));
    expect(writes).toEqual(["a client_secret_basic 1"]);
  });

  it("remembers a bounded number of clients: the longest unwritten is forgotten and written again", async () => {
    const { store, writes } = recordingStore();
    const recorder = lastAuthenticationRecorder(store, { intervalMs: 10_000, remembered: 2 });
    await recorder.record("a", "none", at(0));
    await recorder.record("b", "none", at(0));
    await recorder.record("a", "none", at(1)); // throttled, still remembered
    await recorder.record("c", "none", at(1)); // "a" (written first) is forgotten
    await recorder.record("b", "none", at(2)); // still remembered: throttled
    await recorder.record("a", "none", at(2)); // forgotten: written again
    expect(writes).toEqual(["a none 0", "b none 0", "c none 1", "a none 2"]);
  });
});
