import { DomainError } from "../domain-error";
import { bearerChallenge } from "../oauth/bearer-header";

/**
 * Every error code the management API answers with, and its HTTP status.
 * The OpenAPI document's `Error.error` enum is built from this table.
 */
export const API_ERROR_STATUS = {
  /** Malformed JSON, a body that is not an object, bad query parameters. */
  invalid_request: 400,
  /** A well-formed body with invalid fields (`fields` says which). */
  invalid_body: 400,
  /** Missing, unknown or revoked API key (RFC 6750 §3.1). */
  invalid_token: 401,
  not_found: 404,
  /** The request conflicts with the app's state (e.g. no rotation in progress). */
  conflict: 409,
  payload_too_large: 413,
  server_error: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
export const API_ERROR_CODES = Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]];

/**
 * The one error type of the management API: a stable `code`, a public
 * `description`, optional per-field messages (wire names), and a private
 * `detail` that is logged, never sent.
 */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    readonly description: string,
    readonly options: {
      fields?: Record<string, string>;
      /** Private: logged, never sent. */
      detail?: string;
      cause?: unknown;
      /** 401 only: whether the request carried credentials (RFC 6750 §3.1 then names the error in the challenge). */
      credentialsSent?: boolean;
    } = {},
  ) {
    super(options.detail ?? description, { cause: options.cause });
    this.status = API_ERROR_STATUS[code];
  }

  get fields(): Record<string, string> | undefined {
    return this.options.fields;
  }
}

export const invalidRequest = (description: string, fields?: Record<string, string>) =>
  new ApiError("invalid_request", description, { fields });
export const invalidBody = (fields: Record<string, string>) =>
  new ApiError("invalid_body", "The request body has invalid fields", { fields });
export const invalidToken = (description: string, credentialsSent: boolean) =>
  new ApiError("invalid_token", description, { credentialsSent });
export const notFound = (description: string) => new ApiError("not_found", description);

/**
 * Maps any thrown value to an ApiError: ours pass through, a DomainError
 * maps to 400/404/409, anything else is a server_error whose details stay
 * private.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) return error.code === "invalid_input" ? invalidBody({ ...error.fields }) : new ApiError(error.code, error.message);
  return new ApiError("server_error", "The server could not complete the request", { cause: error });
}

/**
 * The single wire mapping: `{ error, error_description, fields? }`, always
 * `Cache-Control: no-store`, plus a Bearer challenge on 401. Server errors are
 * logged with their cause.
 */
export function toErrorResponse(error: unknown, context = ""): Response {
  const apiError = toApiError(error);
  if (apiError.code === "server_error") {
    console.error(`connected-apps: management API error${context ? ` (${context})` : ""}:`, apiError.options.cause ?? apiError);
  }
  const headers = new Headers({ "Cache-Control": "no-store" });
  if (apiError.status === 401) headers.set("WWW-Authenticate", challengeOf(apiError));
  return Response.json(
    {
      error: apiError.code,
      error_description: apiError.description,
      ...(apiError.fields ? { fields: apiError.fields } : {}),
    },
    { status: apiError.status, headers },
  );
}

/** RFC 6750 §3.1: no error code when the request carried no credentials, `invalid_token` otherwise. */
function challengeOf(error: ApiError): string {
  return bearerChallenge(error.options.credentialsSent ? { code: "invalid_token", description: error.description } : undefined);
}
