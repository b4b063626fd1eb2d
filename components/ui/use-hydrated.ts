"use client";

import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False during the server render and hydration, true once React runs in the
 * browser: until then a submit would be sent by the browser itself, so
 * submit buttons wait for it.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
