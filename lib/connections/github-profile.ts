import * as oauth from "oauth4webapi";
import type { UpstreamServer } from "./upstream-discovery";
import { requestOptions } from "./upstream-discovery";
import { UpstreamError } from "./upstream-fetch";
import type { UpstreamProfile } from "./users-from-upstream";

interface GitHubUser {
  id?: unknown;
  login?: unknown;
  name?: unknown;
}

interface GitHubEmail {
  email?: unknown;
  primary?: unknown;
  verified?: unknown;
}

/**
 * GitHub has no ID token: the user API gives the stable numeric id (the
 * subject; logins can be renamed) and /user/emails the primary email with
 * whether GitHub verified it.
 */
export async function githubProfile(server: UpstreamServer, accessToken: string): Promise<UpstreamProfile> {
  const endpoints = server.endpoints!;
  const user = (await githubJson(server, endpoints.user, accessToken)) as GitHubUser;
  if (typeof user.id !== "number" && typeof user.id !== "string") throw new UpstreamError("github_user", "GitHub did not say who signed in");
  const emails = await githubJson(server, endpoints.emails, accessToken);
  const primary = Array.isArray(emails) ? (emails as GitHubEmail[]).find((e) => e.primary === true && typeof e.email === "string") : undefined;
  const name = typeof user.name === "string" && user.name ? user.name : typeof user.login === "string" ? user.login : null;
  return { subject: String(user.id), email: (primary?.email as string | undefined) ?? null, emailVerified: primary?.verified === true, name };
}

async function githubJson(server: UpstreamServer, url: string, accessToken: string): Promise<unknown> {
  const headers = new Headers({ Accept: "application/vnd.github+json", "User-Agent": "connected-apps" });
  const response = await oauth.protectedResourceRequest(accessToken, "GET", new URL(url), headers, null, requestOptions(server));
  if (response.status !== 200) throw new UpstreamError("github_api", `GitHub answered ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw new UpstreamError("github_api", "GitHub's answer is not JSON");
  }
}
