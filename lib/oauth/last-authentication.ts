import type { TokenEndpointAuthMethod } from "../clients/policy";
import type { OAuthStore } from "./store";

/** How often one instance records a client's authentication: the owner's pages show it to the minute. */
export const LAST_AUTHENTICATION_INTERVAL_MS = 60_000;
/** Clients whose last write this instance remembers; the longest unwritten go first (then they are written again, harmlessly). */
export const LAST_AUTHENTICATION_REMEMBERED = 10_000;

/** Records when a client authenticated, for the owner's pages (issue 14). */
export interface LastAuthentication {
  /**
   * Notes that `appId` authenticated with `method` at `at`. Writes at most once
   * per interval per client on this instance (a token request pays one extra
   * statement a minute, not one each). A failed write is logged and never
   * fails the request that authenticated.
   */
  record(appId: string, method: TokenEndpointAuthMethod, at: Date): Promise<void>;
}

export function lastAuthenticationRecorder(
  store: Pick<OAuthStore, "recordClientAuthentication">,
  options: { intervalMs?: number; remembered?: number } = {},
): LastAuthentication {
  const intervalMs = options.intervalMs ?? LAST_AUTHENTICATION_INTERVAL_MS;
  const remembered = options.remembered ?? LAST_AUTHENTICATION_REMEMBERED;
  // appId → when this instance last wrote it; insertion order is write order.
  const written = new Map<string, number>();

  return {
    async record(appId, method, at) {
      const now = at.getTime();
      const last = written.get(appId);
      // A clock that went back (another test clock, NTP) counts as due: the SQL keeps the latest anyway.
      if (last !== undefined && now >= last && now - last < intervalMs) return;
      // Claimed before the write, so concurrent requests of one client make one write.
      written.delete(appId);
      written.set(appId, now);
      if (written.size > remembered) written.delete(written.keys().next().value!);
      try {
        await store.recordClientAuthentication(appId, method, at);
      } catch (e) {
        written.delete(appId);
        console.error(`last authentication of app ${appId} not recorded: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}
