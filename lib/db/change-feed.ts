import { CHANGE_TOPICS, type ChangeFeed, type ChangeTopic } from "../oauth/store";
import { onLocalChange } from "./local-changes";
import type { Database } from "./open";

/** The NOTIFY channel the triggers of migration `change_feed` announce changes on. */
export const CHANGE_CHANNEL = "connected_apps_changes";

const isTopic = (payload: string): payload is ChangeTopic => (CHANGE_TOPICS as readonly string[]).includes(payload);

/**
 * The database's change announcements as a ChangeFeed. Triggers NOTIFY
 * `clients` (connected_apps, client_secrets), `settings` (project_settings)
 * and `keys` (signing_keys) at commit; every instance LISTENs. A (re)connect
 * announces every topic, since changes made while it was down were missed.
 * Writes in this process also announce themselves at once
 * (announceLocalChange), before their NOTIFY arrives.
 */
export function changeFeed(db: Pick<Database, "listen">): ChangeFeed {
  const listeners: ((topic: ChangeTopic) => void)[] = [];
  let live = false;
  const announce = (topic: ChangeTopic) => {
    for (const listener of listeners) listener(topic);
  };
  db.listen(
    CHANGE_CHANNEL,
    (payload) => {
      // An unknown payload (a newer instance's topic) empties everything rather than nothing.
      if (isTopic(payload)) announce(payload);
      else CHANGE_TOPICS.forEach(announce);
    },
    (now) => {
      live = now;
      CHANGE_TOPICS.forEach(announce);
    },
  );
  // Writes in this process announce themselves before their NOTIFY arrives.
  onLocalChange(announce);
  return {
    subscribe: (listener) => void listeners.push(listener),
    live: () => live,
  };
}
