/** At most `max` tasks at once; the others wait in line, but only so long. */
export interface ConcurrencyLimit {
  /**
   * Runs `task` once a slot is free. A task still waiting after `maxWaitMs`
   * never runs: the call rejects with `refusal()`. A slot is given back
   * however the task ends.
   */
  run<T>(task: () => Promise<T>, maxWaitMs: number, refusal: () => Error): Promise<T>;
  /** Tasks running now (tests, diagnostics). */
  readonly running: number;
}

export function concurrencyLimit(max: number): ConcurrencyLimit {
  let running = 0;
  // Waiters in arrival order; each is called when a slot is handed to it.
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next waiter, so a newcomer cannot take it in between.
    if (next) next();
    else running--;
  };

  const acquire = (maxWaitMs: number, refusal: () => Error) =>
    new Promise<void>((resolve, reject) => {
      if (running < max) {
        running++;
        resolve();
        return;
      }
      const handOver = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(handOver), 1);
        reject(refusal());
      }, maxWaitMs);
      waiting.push(handOver);
    });

  return {
    async run(task, maxWaitMs, refusal) {
      await acquire(maxWaitMs, refusal);
      try {
        return await task();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
  };
}
