"use server";

import { cookies } from "next/headers";
import { derivedKey } from "@/lib/crypto/pepper";
import { domainErrorResult, failure, type ActionResult } from "@/lib/dashboard/action-result";
import { ownerAction } from "@/lib/dashboard/server-actions";
import { getOAuthContext } from "@/lib/oauth-context";
import { finishForm, formFields, refreshForm } from "@/lib/playground/action-input";
import { PLAYGROUND_COOKIE, PLAYGROUND_COOKIE_PATH, PLAYGROUND_FLOW_TTL_S, PLAYGROUND_SEAL_PURPOSE, PlaygroundError } from "@/lib/playground/flow-state";
import { finishPlayground, refreshPlayground, startPlayground, type PlaygroundOutcome } from "@/lib/playground/playground";
import { switchPlayground } from "@/lib/playground/registration";

const CALLBACK_PAGE = "/dashboard/playground/callback";
const appPage = (clientId: string) => `/dashboard/apps/${encodeURIComponent(String(clientId))}`;
const UNKNOWN_APP = failure("This app no longer exists. It may have been deleted.");

/** A playground step that cannot go on says why; app errors read as on the app's page. */
const playgroundErrorResult = (error: unknown) => (error instanceof PlaygroundError ? failure(error.message) : domainErrorResult(error));

/** Turns the app's playground on or off (for a third-party app, on only with `confirmThirdParty`). */
export async function switchPlaygroundAction(clientId: string, on: boolean, confirmThirdParty: boolean): Promise<ActionResult> {
  return ownerAction(appPage(clientId), async ({ prisma, config, actor }) => {
    if (typeof clientId !== "string" || typeof on !== "boolean") return UNKNOWN_APP;
    await switchPlayground(prisma, actor, clientId, { on, confirmThirdParty: confirmThirdParty === true }, config);
    return {};
  });
}

/** "Try sign-in": the flow sealed in a cookie for the callback, and where the browser goes: /authorize, as the app. */
export async function startPlaygroundAction(clientId: string): Promise<ActionResult<{ location: string }>> {
  return ownerAction(
    appPage(clientId),
    async ({ prisma, config, ownerId }) => {
      if (typeof clientId !== "string") return UNKNOWN_APP;
      const { location, sealed } = await startPlayground(prisma, { clientId, ownerId, now: new Date() }, { ...config, key: derivedKey(PLAYGROUND_SEAL_PURPOSE, config) });
      (await cookies()).set(PLAYGROUND_COOKIE, sealed, {
        httpOnly: true,
        sameSite: "lax",
        secure: config.secureCookies,
        path: PLAYGROUND_COOKIE_PATH,
        maxAge: PLAYGROUND_FLOW_TTL_S,
      });
      return { location };
    },
    playgroundErrorResult,
    { refreshPage: false },
  );
}

/**
 * The callback's exchange. The flow cookie is deleted whatever happens: a
 * flow is used once. The client secret is used for this request only.
 */
export async function finishPlaygroundAction(form: FormData): Promise<ActionResult<{ outcome: PlaygroundOutcome }>> {
  return ownerAction(
    CALLBACK_PAGE,
    async ({ prisma, config, ownerId }) => {
      const parsed = finishForm.safeParse(form instanceof FormData ? formFields(form) : null);
      if (!parsed.success) return failure("The callback's parameters are malformed. Start again from the app's page.");
      const jar = await cookies();
      const cookie = jar.get(PLAYGROUND_COOKIE)?.value;
      jar.delete({ name: PLAYGROUND_COOKIE, path: PLAYGROUND_COOKIE_PATH });
      const { client_secret, code, state, error, error_description } = parsed.data;
      const params = { code: code ?? null, state: state ?? null, error: error ?? null, error_description: error_description ?? null };
      const key = derivedKey(PLAYGROUND_SEAL_PURPOSE, config);
      return { outcome: await finishPlayground(await getOAuthContext(), prisma, { cookie, params, ownerId, clientSecret: client_secret ?? null }, { development: config.development, key }) };
    },
    playgroundErrorResult,
    { refreshPage: false },
  );
}

/** "Refresh": the refresh grant as the app; the secret is used for this request only. */
export async function refreshPlaygroundAction(form: FormData): Promise<ActionResult<{ outcome: PlaygroundOutcome }>> {
  return ownerAction(
    CALLBACK_PAGE,
    async ({ prisma, config }) => {
      const parsed = refreshForm.safeParse(form instanceof FormData ? formFields(form) : null);
      if (!parsed.success) return failure("There is no refresh token to use. Start again from the app's page.");
      const { client_id, refresh_token, client_secret, nonce } = parsed.data;
      const input = { clientId: client_id, refreshToken: refresh_token, clientSecret: client_secret ?? null, nonce: nonce ?? null };
      return { outcome: await refreshPlayground(await getOAuthContext(), prisma, input, { development: config.development }) };
    },
    playgroundErrorResult,
    { refreshPage: false },
  );
}
