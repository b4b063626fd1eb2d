import { printable } from "../text";

// The reasons a URL client_id cannot be resolved, apart from the resolver
// (cimd.ts, which stores apps): the protocol core tells them from other
// failures without loading the database client.

/**
 * Marks every CIMD error. Recognised by this mark, not by `instanceof`:
 * Next bundles each route with its own copy of these classes, while the
 * store that throws them is built once per process by whichever route ran
 * first (lib/oauth-context.ts), so the classes of thrower and catcher can
 * differ. Symbol.for is one registry per process.
 */
const CIMD_ERROR = Symbol.for("connected-apps.cimd-error");

/**
 * Any reason a URL client_id could not be resolved. `message` has the
 * details (for the server log and the owner's dashboard); `publicMessage`
 * is what anyone who sends the client_id may see.
 */
export class CimdError extends Error {
  readonly [CIMD_ERROR] = true;
  /**
   * A failure of the document (its fetch or its content), remembered for a
   * while (CIMD_FAILURE_CACHE_S); this server's own refusals (off, busy,
   * rate limit) are not. A property, not a class test: see CIMD_ERROR.
   */
  readonly documentFailure: boolean = true;
  get publicMessage(): string {
    return this.message;
  }
}

/** CIMD is turned off in the project settings. */
export class CimdDisabledError extends CimdError {
  override name = "CimdDisabledError";
  override readonly documentFailure = false;
  constructor() {
    super("Client ID Metadata Documents are not enabled on this server, so a URL cannot be used as client_id");
  }
}

/** This process already runs as many document fetches as it may (CIMD_MAX_CONCURRENT_FETCHES), and none ended in time. */
export class CimdBusyError extends CimdError {
  override name = "CimdBusyError";
  override readonly documentFailure = false;
  constructor(maxConcurrent: number, waitedMs: number) {
    super(`${maxConcurrent} metadata document fetches were already running and none ended within ${waitedMs} ms`);
  }
  override get publicMessage(): string {
    return "The server is fetching too many metadata documents at once; try again in a moment";
  }
}

/** The source has created as many CIMD apps as it may in this window (CIMD_RATE_LIMIT); refused before any fetch. */
export class CimdRateLimitError extends CimdError {
  override name = "CimdRateLimitError";
  override readonly documentFailure = false;
  constructor(readonly retryAfter: number) {
    super(`Too many new apps from metadata documents recently; try again in ${retryAfter} seconds`);
  }
}

/**
 * A document that failed a moment ago, answered from memory without a
 * fetch (CIMD_FAILURE_CACHE_S): the same public reason as the failure;
 * the log says it was remembered.
 */
export class CimdRecentFailureError extends CimdError {
  override name = "CimdRecentFailureError";
  // Already remembered: answering it again must not make it last longer.
  override readonly documentFailure = false;
  constructor(
    readonly failure: CimdError,
    until: Date,
  ) {
    super(`${failure.message} (a failure remembered until ${until.toISOString()}; not fetched again)`);
  }
  override get publicMessage(): string {
    return this.failure.publicMessage;
  }
}

export function isCimdError(error: unknown): error is CimdError {
  return typeof error === "object" && error !== null && (error as { [CIMD_ERROR]?: unknown })[CIMD_ERROR] === true;
}

/** The public reason for a refused URL client_id; the details go to the server log. */
export function cimdRefusal(clientId: string, error: CimdError): string {
  if (error.publicMessage !== error.message) console.warn(`connected-apps: metadata document ${printable(clientId)}: ${printable(error.message)}`);
  return error.publicMessage;
}
