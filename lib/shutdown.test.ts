import { afterEach, describe, expect, it, vi } from "vitest";
import { onShutdown, runShutdownTasks } from "./shutdown";

const KEY = Symbol.for("connected-apps.shutdown");

describe("shutdown tasks", () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[KEY];
    vi.restoreAllMocks();
  });

  it("runs every registered task; a failing one is logged and the others still finish", async () => {
    const done: string[] = [];
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    onShutdown(async () => void done.push("flush"));
    onShutdown(() => Promise.reject(new Error("database gone")));
    onShutdown(async () => void done.push("other"));
    await runShutdownTasks();
    expect(done.sort()).toEqual(["flush", "other"]);
    expect(log).toHaveBeenCalledWith("connected-apps: a shutdown task failed: database gone");
  });

  it("does not wait longer than its timeout for a task that hangs", async () => {
    onShutdown(() => new Promise<void>(() => {}));
    const started = performance.now();
    await runShutdownTasks(50);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
