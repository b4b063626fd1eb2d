/**
 * What an audit event's target id names, by kind: resolved to a name and a
 * dashboard link in one query per kind (./targets.ts).
 * - `app`: a connected app or machine client by its client_id;
 * - `app_row`: the same by its internal id (grant revocations);
 * - `user`, `api_key`, `role`, `scope`, `connection`: by their ids.
 */
export type TargetKind = "app" | "app_row" | "user" | "api_key" | "role" | "scope" | "connection";

const CLIENT_EVENTS = ["created", "updated", "deleted", "keys_changed", "secret_rotation_started", "secret_rotation_completed", "secret_rotation_cancelled"] as const;

/**
 * Every action the server records, with the kind of its target (null: it
 * has none). The audit log's action filter offers these; an event whose
 * action is not listed still shows, with its target id as recorded.
 */
export const AUDIT_ACTIONS: Readonly<Record<string, TargetKind | null>> = {
  ...Object.fromEntries(CLIENT_EVENTS.map((event) => [`connected_app.${event}`, "app"])),
  ...Object.fromEntries(CLIENT_EVENTS.map((event) => [`machine_client.${event}`, "app"])),
  "consent.granted": "app",
  "grant.revoked": "app_row",
  "session.ended": "app",
  "session.exchanged": "app",
  "session.link_redeemed": "app",
  "user.signed_in": "user",
  "user.sign_in_failed": "user",
  "user.signin_locked": "user",
  "user.signin_unlocked": "user",
  "user.name_changed": "user",
  "user.password_changed": "user",
  "user.password_set": "user",
  "user.password_reset": "user",
  "user.identity_unlinked": "user",
  "user.deleted": "user",
  "role.assigned": "user",
  "role.unassigned": "user",
  "role.created": "role",
  "role.updated": "role",
  "role.deleted": "role",
  "role.default_changed": null,
  "scope.created": "scope",
  "scope.updated": "scope",
  "scope.deleted": "scope",
  "api_key.created": "api_key",
  "api_key.revoked": "api_key",
  "api_key.used": "api_key",
  "connection.created": "connection",
  "connection.updated": "connection",
  "connection.deleted": "connection",
  "project_settings.updated": null,
  "signing_keys.rotated": null,
};

/** The known actions, sorted, for the action filter. */
export const AUDIT_ACTION_NAMES: readonly string[] = Object.keys(AUDIT_ACTIONS).sort();

/** The kind of an action's target, or null (no target, or an action not listed). */
export function targetKindOf(action: string): TargetKind | null {
  return Object.hasOwn(AUDIT_ACTIONS, action) ? AUDIT_ACTIONS[action]! : null;
}
