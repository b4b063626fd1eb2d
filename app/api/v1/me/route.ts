import { currentUserEndpoint, readCurrentUser } from "@/lib/api/current-user";
import { preflight } from "@/lib/oauth/http";

export const dynamic = "force-dynamic";

/** `GET /api/v1/me`: the user the access token acts for (read:current_user). */
export const GET = currentUserEndpoint("read:current_user", readCurrentUser);

/** CORS preflight: browser apps call this with their access token. */
export const OPTIONS = () => preflight("GET");
