import { appForReturnPath } from "../oauth/authorize/interaction";
import { getOAuthContext } from "../oauth-context";
import { safeReturnPath } from "../safe-return-path";

/**
 * Counts a sign-in (password or connection): for the app whose
 * authorization request it continues (`returnTo` resumes it), else for the
 * project only. Never fails the sign-in.
 */
export async function countSignIn(returnTo: unknown): Promise<void> {
  try {
    const ctx = await getOAuthContext();
    const app = await appForReturnPath(ctx, safeReturnPath(returnTo));
    ctx.activity.count(app?.id ?? null, "sign_in", ctx.clock());
  } catch (e) {
    console.error(`connected-apps: a sign-in was not counted: ${e instanceof Error ? e.message : String(e)}`);
  }
}
