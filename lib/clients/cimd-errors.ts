// The reasons a URL client_id cannot be resolved, apart from the resolver
// (cimd.ts, which stores apps): the protocol core tells them from other
// failures without loading the database client.
import { CimdDocumentError } from "./cimd-document";
import { CimdFetchError } from "./cimd-fetch";

/** CIMD is turned off in the project settings. */
export class CimdDisabledError extends Error {
  override name = "CimdDisabledError";
  constructor() {
    super("Client ID Metadata Documents are not enabled on this server, so a URL cannot be used as client_id");
  }
}

/** Any reason a URL client_id could not be resolved; `message` is safe to show the client developer. */
export type CimdError = CimdDisabledError | CimdFetchError | CimdDocumentError;

export function isCimdError(error: unknown): error is CimdError {
  return error instanceof CimdDisabledError || error instanceof CimdFetchError || error instanceof CimdDocumentError;
}
