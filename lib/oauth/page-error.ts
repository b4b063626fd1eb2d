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
  ) {
    super(reason ? `${reason}: ${description}` : description);
  }
}
