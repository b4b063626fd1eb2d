"use server";

import { cookies } from "next/headers";
import { derivedKey } from "@/lib/crypto/pepper";
import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { ownerAction } from "@/lib/dashboard/server-actions";
import { playgroundErrorResult } from "@/lib/playground/action-input";
import { PLAYGROUND_COOKIE, PLAYGROUND_COOKIE_PATH, PLAYGROUND_FLOW_TTL_S, PLAYGROUND_SEAL_PURPOSE } from "@/lib/playground/flow-state";
import { startPlayground } from "@/lib/playground/playground";
import { switchPlayground } from "@/lib/playground/registration";

const appPage = (clientId: string) => `/dashboard/apps/${encodeURIComponent(String(clientId))}`;
const UNKNOWN_APP = failure("This app no longer exists. It may have been deleted.");


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
