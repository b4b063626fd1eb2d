import { userActor } from "../audit";
import { AppConflictError, AppNotFoundError, AppValidationError } from "../clients/errors";

/**
 * What a dashboard server action returns: success with its data, or a
 * readable error (and per-field messages keyed by wire name, e.g.
 * `redirect_uris[1]`). Validation problems are never thrown to the client.
 */
export type ActionResult<T extends object = object> = ({ ok: true } & T) | ActionFailure;
export type ActionFailure = { ok: false; error: string; fields?: Record<string, string> };

/** The audit-log actor for a signed-in owner. */
export const ownerActor = userActor;

export function failure(error: string, fields?: Record<string, string>): ActionFailure {
  return fields ? { ok: false, error, fields } : { ok: false, error };
}

/** Maps the typed errors of lib/clients to a result; anything else is rethrown (a real server error). */
export function appErrorResult(error: unknown): ActionFailure {
  if (error instanceof AppValidationError) return failure("Some settings need fixing.", error.fields);
  if (error instanceof AppNotFoundError) return failure("This app no longer exists. It may have been deleted.");
  if (error instanceof AppConflictError) return failure(`${error.message}. Reload the page to see the app's current state.`);
  throw error;
}
