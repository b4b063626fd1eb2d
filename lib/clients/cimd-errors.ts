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
  get publicMessage(): string {
    return this.message;
  }
}

/** CIMD is turned off in the project settings. */
export class CimdDisabledError extends CimdError {
  override name = "CimdDisabledError";
  constructor() {
    super("Client ID Metadata Documents are not enabled on this server, so a URL cannot be used as client_id");
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
