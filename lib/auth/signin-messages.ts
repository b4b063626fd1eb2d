// What the sign-in form says about a failed attempt. No server imports: the
// form is a client component.

const THROTTLED = "throttled:";

/** The error next-auth hands the sign-in form for a throttled attempt (the seconds to wait after the colon). */
export function throttledSignInError(retryAfter: number): string {
  return `${THROTTLED}${retryAfter}`;
}

/** What the sign-in form shows for next-auth's `error`: the wait for a throttled attempt, else the one message for every failure. */
export function signInFailureMessage(error: string | null | undefined): string {
  if (error?.startsWith(THROTTLED)) {
    const minutes = Math.max(1, Math.ceil(Number(error.slice(THROTTLED.length)) / 60));
    return `Too many failed sign-ins for this account. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or ask the owner to unlock it.`;
  }
  return "Incorrect email or password.";
}
