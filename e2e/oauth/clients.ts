// Shared set-up for the OAuth end-to-end specs: the owner's management-API
// key of the current Playwright project, connected apps created through the
// management API, and signed-in end-user sessions. Library-neutral: the
// specs drive openid-client, oauth4webapi or raw HTTP on top of these.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { readFileSync } from "node:fs";
import { END_USERS, apiKeyFiles } from "../servers.mjs";
import { HttpSession } from "./http-session";

export type ClientType = "first_party" | "first_party_public" | "third_party" | "third_party_public";

/** The four client types of docs/design.md, in its table's order. */
export const CLIENT_TYPES: readonly ClientType[] = ["first_party", "first_party_public", "third_party", "third_party_public"];

/** Whether the type has a client secret (docs/design.md "The four client types"). */
export function isConfidential(type: ClientType): boolean {
  return type === "first_party" || type === "third_party";
}

/** Whether the type is the owner's own app: its ID tokens carry the consented profile claims; a third party's carry none (docs/design.md). */
export function isFirstParty(type: ClientType): boolean {
  return type === "first_party" || type === "first_party_public";
}

/** Redirect URIs every type accepts: https for confidential apps, loopback for public ones. Never fetched. */
export const CONFIDENTIAL_REDIRECT_URI = "https://rp.example/cb";
export const PUBLIC_REDIRECT_URI = "http://127.0.0.1/cb";

export function defaultRedirectUri(type: ClientType): string {
  return isConfidential(type) ? CONFIDENTIAL_REDIRECT_URI : PUBLIC_REDIRECT_URI;
}

/**
 * The active owner API key of a Playwright project (each project's server
 * has its own database and keys, seeded by e2e/serve.mjs). Defaults to the
 * project of the running test.
 */
export function apiKey(project: string = test.info().project.name): string {
  return readFileSync(apiKeyFiles(project).active, "utf8").trim();
}

/** A connected app as the management API returns it on creation (`client_secret` only for confidential types). */
export interface CreatedApp {
  client_id: string;
  client_secret?: string;
  client_type: ClientType;
  name: string;
  redirect_uris: string[];
  allowed_scopes: string[];
  id_token_signed_response_alg: "RS256" | "ES256" | "HS256";
  access_token_ttl_seconds: number;
  [field: string]: unknown;
}

let appCounter = 0;

/**
 * Creates a connected app with `POST /api/v1/connected-apps` as the owner of
 * the current project's server and expects 201. `body` is merged over
 * defaults: a unique name, one redirect URI valid for the type
 * (defaultRedirectUri) and `client_uri` https://rp.example. For confidential
 * types the returned app carries its `client_secret` (shown only here).
 * `request` is the test's `request` fixture, whose baseURL is the project's server.
 */
export async function createApp(
  request: APIRequestContext,
  body: { client_type: ClientType } & Record<string, unknown>,
  key: string = apiKey(),
): Promise<CreatedApp> {
  const data = {
    name: `e2e ${body.client_type} ${Date.now().toString(36)}-${appCounter++}`,
    redirect_uris: [defaultRedirectUri(body.client_type)],
    client_uri: "https://rp.example",
    ...body,
  };
  const response = await request.post("/api/v1/connected-apps", { headers: { authorization: `Bearer ${key}` }, data });
  const text = await response.text();
  expect(response.status(), `create ${body.client_type} app: ${text}`).toBe(201);
  const app = JSON.parse(text) as CreatedApp;
  expect(app.client_type).toBe(body.client_type);
  // A confidential app gets a secret unless it authenticates with a key (private_key_jwt).
  if (isConfidential(body.client_type) && body.token_endpoint_auth_method !== "private_key_jwt") expect(app.client_secret).toEqual(expect.any(String));
  else expect(app).not.toHaveProperty("client_secret");
  return app;
}

export type EndUser = (typeof END_USERS)[number];

/** A cookie-jar session (see http-session.ts) already signed in as `user` on `baseURL`. */
export async function signedInSession(baseURL: string, user: EndUser = END_USERS[0]!): Promise<HttpSession> {
  const session = new HttpSession(baseURL);
  await session.signIn(user.email, user.password);
  return session;
}
