"use server";

import { cookies } from "next/headers";
import { derivedKey } from "@/lib/crypto/pepper";
import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { publicAction } from "@/lib/dashboard/server-actions";
import { getOAuthContext } from "@/lib/oauth-context";
import { finishForm, formFields, playgroundErrorResult, refreshForm } from "@/lib/playground/action-input";
import { PLAYGROUND_COOKIE, PLAYGROUND_COOKIE_PATH, PLAYGROUND_RESULT_TTL_S, PLAYGROUND_SEAL_PURPOSE } from "@/lib/playground/flow-state";
import { finishPlayground, refreshPlayground, type PlaygroundOutcome } from "@/lib/playground/playground";

// No session is required here: whoever signed in during the flow comes back to this page. The sealed
// flow cookie, which only an owner's "Try sign-in" sets, is what these actions need (lib/playground).

/**
 * The callback's exchange. Once the callback's state matched, the flow
 * cookie is replaced by its used form (refreshes only): a flow is used once.
 * A refused callback leaves it alone (the real answer may still come). The
 * client secret is used for this request only.
 */
export async function finishPlaygroundAction(form: FormData): Promise<ActionResult<{ outcome: PlaygroundOutcome }>> {
  return publicAction(async ({ prisma, config }) => {
    const parsed = finishForm.safeParse(form instanceof FormData ? formFields(form) : null);
    if (!parsed.success) return failure("The callback's parameters are malformed. Start again with Try sign-in on the app's page.");
    const jar = await cookies();
    const cookie = jar.get(PLAYGROUND_COOKIE)?.value;
    const { client_secret, code, state, error, error_description } = parsed.data;
    const params = { code: code ?? null, state: state ?? null, error: error ?? null, error_description: error_description ?? null };
    const key = derivedKey(PLAYGROUND_SEAL_PURPOSE, config);
    const result = await finishPlayground(await getOAuthContext(), prisma, { cookie, params, clientSecret: client_secret ?? null }, { development: config.development, key });
    jar.set(PLAYGROUND_COOKIE, result.cookie, { httpOnly: true, sameSite: "lax", secure: config.secureCookies, path: PLAYGROUND_COOKIE_PATH, maxAge: PLAYGROUND_RESULT_TTL_S });
    return { outcome: result.outcome };
  }, playgroundErrorResult);
}

/** "Refresh": the refresh grant as the app of the used flow; the secret is used for this request only. */
export async function refreshPlaygroundAction(form: FormData): Promise<ActionResult<{ outcome: PlaygroundOutcome }>> {
  return publicAction(async ({ prisma, config }) => {
    const parsed = refreshForm.safeParse(form instanceof FormData ? formFields(form) : null);
    if (!parsed.success) return failure("There is no refresh token to use. Start again with Try sign-in on the app's page.");
    const { refresh_token, client_secret, nonce } = parsed.data;
    const cookie = (await cookies()).get(PLAYGROUND_COOKIE)?.value;
    const input = { cookie, refreshToken: refresh_token, clientSecret: client_secret ?? null, nonce: nonce ?? null };
    const key = derivedKey(PLAYGROUND_SEAL_PURPOSE, config);
    return { outcome: await refreshPlayground(await getOAuthContext(), prisma, input, { development: config.development, key }) };
  }, playgroundErrorResult);
}
