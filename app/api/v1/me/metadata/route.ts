import { currentUserEndpoint, updateCurrentUserMetadata } from "@/lib/api/current-user";
import { preflight } from "@/lib/oauth/http";

export const dynamic = "force-dynamic";

/** `PATCH /api/v1/me/metadata`: merges the JSON body into the user's user_metadata (update:current_user_metadata). */
export const PATCH = currentUserEndpoint("update:current_user_metadata", updateCurrentUserMetadata);

/** CORS preflight: browser apps call this with their access token. */
export const OPTIONS = () => preflight("PATCH");
