/**
 * What an error page may show besides its title and description, for the
 * developer who sent the request: the app, the value refused (echoed from
 * the request itself) and what the app has registered instead. Nothing
 * secret: the registered list is shown only to the project's owner (it may
 * name hosts no request ever revealed), see errorPage.
 */
export interface PageErrorDetails {
  app?: { name: string; clientId: string };
  /** The request's parameter and the value it sent. */
  refused?: { parameter: string; value: string };
  /** What the app registered for that parameter (owner only). */
  registered?: { label: string; values: readonly string[] };
}

/**
 * A refusal shown to a person on the error page, never sent to a client's
 * redirect URI (an unknown app, an unregistered redirect URI, a spent
 * sign-in link): a title, and what to do next. `reason`, when set, is a
 * stable word for tests and logs.
 */
export class PageError extends Error {
  override name = "PageError";
  constructor(
    readonly title: string,
    readonly description: string,
    readonly reason?: string,
    readonly details?: PageErrorDetails,
  ) {
    super(reason ? `${reason}: ${description}` : description);
  }
}
