import type { ChangeTopic } from "../oauth/store";

// On globalThis: next dev (and the Next build) may load this module more than once per process.
const KEY = Symbol.for("connected-apps.local-changes");
type Holder = { [KEY]?: Set<(topic: ChangeTopic) => void> };
const listeners = ((globalThis as Holder)[KEY] ??= new Set());

/**
 * Announces a committed change to this process's caches at once. The
 * database's NOTIFY reaches every instance too, but a moment later: a write
 * followed at once by a read in the same process (an owner saves a setting
 * and reloads discovery) must not see the old value.
 */
export function announceLocalChange(topic: ChangeTopic): void {
  for (const listener of listeners) listener(topic);
}

export function onLocalChange(listener: (topic: ChangeTopic) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Awaits a write, then announces `topic` (also when it failed: some of it may have committed). */
export async function announcing<T>(topic: ChangeTopic, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } finally {
    announceLocalChange(topic);
  }
}
