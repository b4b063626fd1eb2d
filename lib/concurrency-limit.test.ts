import { describe, expect, it } from "vitest";
import { concurrencyLimit } from "./concurrency-limit";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("concurrency limit", () => {
  it("runs at most `max` tasks at once, the others in arrival order as slots free", async () => {
    const limit = concurrencyLimit(3);
    let now = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      most = Math.max(most, ++now);
      await sleep(20);
      now--;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => limit.run(task(i), 5000, () => new Error("refused"))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(limit.running).toBe(0);
  });

  it("refuses a task that waited longer than allowed, without running it, and gives back slots of failed tasks", async () => {
    const limit = concurrencyLimit(1);
    let release!: () => void;
    const holder = limit.run(() => new Promise<void>((resolve) => (release = resolve)), 1000, () => new Error("refused"));
    let ran = false;
    const waited = limit.run(async () => (ran = true), 50, () => new Error("busy"));
    await expect(waited).rejects.toThrow("busy");
    expect(ran).toBe(false);
    release();
    await holder;
    await expect(limit.run(() => Promise.reject(new Error("task failed")), 50, () => new Error("busy"))).rejects.toThrow("task failed");
    expect(await limit.run(async () => "free again", 50, () => new Error("busy"))).toBe("free again");
    expect(limit.running).toBe(0);
  });
});
