import { DomainError } from "../domain-error";

/**
 * What a dashboard server action returns: success with its data, or a
 * readable error (and per-field messages keyed by wire name, e.g.
 * `redirect_uris[1]`). Validation problems are never thrown to the client.
 */
export type ActionResult<T extends object = object> = ({ ok: true } & T) | ActionFailure;
export type ActionFailure = { ok: false; error: string; fields?: Record<string, string> };

export function failure(error: string, fields?: Record<string, string>): ActionFailure {
  return fields ? { ok: false, error, fields } : { ok: false, error };
}

/**
 * Maps a DomainError to a result; anything else is rethrown (a real server
 * error). `summary` heads the per-field messages in the form's own words;
 * `fields` replaces the error's (a form that rewords them).
 */
export function domainErrorResult(error: unknown, options: { summary?: string; fields?: (fields: Readonly<Record<string, string>>) => Record<string, string> } = {}): ActionFailure {
  if (!(error instanceof DomainError)) throw error;
  switch (error.code) {
    case "invalid_input":
      return failure(options.summary ?? "Some fields need fixing.", options.fields ? options.fields(error.fields) : { ...error.fields });
    case "not_found":
      return failure(`${error.message}. It may have been deleted: reload the page.`);
    case "conflict":
      // The message says what to do (choose another default first; no rotation is in progress).
      return failure(`${error.message}.`);
  }
}

/** An app form's result: its fields are "settings". */
export const appErrorResult = (error: unknown) => domainErrorResult(error, { summary: "Some settings need fixing." });
