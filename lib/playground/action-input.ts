import { z } from "zod";
import { domainErrorResult, failure, type ActionFailure } from "../dashboard/action-result";
import { PlaygroundError } from "./flow-state";

/** Callback parameters and form values are bounded: anything longer is no code, state or token of this server. */
const text = z.string().max(4096);
const optionalText = (max = 4096) => z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().max(max).optional());

/** The playground's exchange form: the callback's parameters as they came, and the secret a confidential app needs. */
export const finishForm = z.object({
  code: optionalText(),
  state: optionalText(),
  error: optionalText(256),
  error_description: optionalText(),
  client_secret: optionalText(512),
});

/** The playground's refresh form. */
export const refreshForm = z.object({
  refresh_token: text.min(1),
  client_secret: optionalText(512),
  nonce: optionalText(256),
});

/** A form's fields as a plain object (strings only; files are not expected and ignored). */
export function formFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (typeof value === "string") fields[name] = value;
  return fields;
}

/** A playground step that cannot go on says why; app errors read as on the app's page; anything else is a server error. */
export function playgroundErrorResult(error: unknown): ActionFailure {
  return error instanceof PlaygroundError ? failure(error.message) : domainErrorResult(error);
}
