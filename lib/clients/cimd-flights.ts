import { CimdRecentFailureError, isCimdError, type CimdError } from "./cimd-errors";

/** Failures remembered per process at most; the oldest go first (each costs one fetch to make). */
const MAX_REMEMBERED = 10_000;

/**
 * Document fetches per client_id in one process: one at a time, its outcome
 * shared by everyone who asks meanwhile (single flight), and a failure of
 * the document remembered for `rememberMs`, so a broken document costs one
 * fetch per interval, not one per request.
 */
export interface DocumentFlights {
  /** Throws the failure remembered for `clientId` at `now` (a CimdRecentFailureError), if there is one. */
  throwIfFailedRecently(clientId: string, now: Date): void;
  /**
   * Runs `fetch` for `clientId`, or joins the one already running. A
   * document failure it throws is remembered from `now`; success forgets
   * an earlier one.
   */
  run<T>(clientId: string, now: Date, fetch: () => Promise<T>): Promise<T>;
  /** Forgets a remembered failure (the owner's successful "Refresh now"). */
  forget(clientId: string): void;
}

export function documentFlights(rememberMs: number): DocumentFlights {
  const running = new Map<string, Promise<unknown>>();
  // Insertion order is expiry order: every entry lives rememberMs.
  const failed = new Map<string, { error: CimdError; until: number }>();

  const remember = (clientId: string, error: CimdError, now: Date) => {
    if (rememberMs <= 0) return;
    failed.delete(clientId);
    failed.set(clientId, { error, until: now.getTime() + rememberMs });
    for (const [key, entry] of failed) {
      if (entry.until > now.getTime() && failed.size <= MAX_REMEMBERED) break;
      failed.delete(key);
    }
  };

  return {
    throwIfFailedRecently(clientId, now) {
      const entry = failed.get(clientId);
      if (!entry) return;
      if (entry.until <= now.getTime()) failed.delete(clientId);
      else throw new CimdRecentFailureError(entry.error, new Date(entry.until));
    },

    run<T>(clientId: string, now: Date, fetch: () => Promise<T>): Promise<T> {
      const joined = running.get(clientId);
      if (joined) return joined as Promise<T>;
      const flight = fetch().then(
        (value) => {
          failed.delete(clientId);
          return value;
        },
        (error: unknown) => {
          if (isCimdError(error) && error.documentFailure) remember(clientId, error, now);
          throw error;
        },
      );
      running.set(clientId, flight);
      // Removed once settled, whatever the outcome; the next caller starts a new fetch.
      void flight.then(
        () => running.delete(clientId),
        () => running.delete(clientId),
      );
      return flight;
    },

    forget(clientId) {
      failed.delete(clientId);
    },
  };
}
