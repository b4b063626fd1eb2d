// Our server as `npm run bench` and `npm run soak` drive it: the seed (an
// owner with an API key, a user, a confidential and a public first-party
// app, the user's consent to both, a resource server and a machine client
// granted it), waiting for a server and stopping it,
// reading its discovery document, a real sign-in, and authorization codes
// from its real authorization endpoint, dropping a PostgreSQL schema made
// for the run. No side effects on import.
import type { ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import type { Database } from "../lib/db";

export const SCOPES = ["openid", "profile", "email", "offline_access"];
export const CONFIDENTIAL_REDIRECT = "https://bench.example/callback";
export const PUBLIC_REDIRECT = "http://127.0.0.1/callback";
export const USER_PASSWORD = "user-password-bench";
export const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
/** The resource server of the machine client's grant, and its scopes (scripts/bench-peer.mjs gives the peer the same). */
export const MACHINE_RESOURCE = "https://api.bench.example";
export const MACHINE_SCOPES = ["reports:read", "reports:write"];

export type ClientName = "confidential" | "public";

/** An authorization code, with its PKCE verifier for the public client. */
export interface Code {
  code: string;
  verifier?: string;
}

export interface Seed {
  user: { id: string; email: string; name: string };
  apiKey: string;
  /** id: the app's row id (codes refer to it); clientId: its OAuth client_id. */
  confidential: { id: string; clientId: string; secret: string };
  public: { id: string; clientId: string };
  /** A machine client (client_secret_basic) granted MACHINE_SCOPES on MACHINE_RESOURCE. */
  machine: { clientId: string; secret: string };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const basicAuth = (clientId: string, secret: string) =>
  // RFC 6749 §2.3.1: form-urlencode, then base64.
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`;

/**
 * Seeds a migrated database. The library is imported here, not at the top:
 * the caller sets the server's environment (AUTH_SECRET, ISSUER) first.
 */
export async function seed(prisma: Database["prisma"]): Promise<Seed> {
  const { createUser } = await import("../lib/auth/users");
  const { createApiKey } = await import("../lib/auth/api-keys");
  const { createApp } = await import("../lib/clients/apps");
  const { createMachineClient } = await import("../lib/clients/machine-clients");
  const { updateProjectSettings } = await import("../lib/settings");
  const actor = { type: "system" as const, id: null, label: "bench" };
  const owner = await createUser(prisma, { email: "owner@bench.test", password: "owner-password-bench" }, "owner");
  const { key: apiKey } = await createApiKey(prisma, owner.id, "bench");
  const user = await createUser(prisma, { email: "user@bench.test", password: USER_PASSWORD, name: "Bench User" });
  const conf = await createApp(
    prisma,
    actor,
    { client_type: "first_party", name: "Bench web app", redirect_uris: [CONFIDENTIAL_REDIRECT], allowed_scopes: SCOPES },
    "api",
  );
  const pub = await createApp(
    prisma,
    actor,
    // Also a device-flow client (the device-code polling phase).
    { client_type: "first_party_public", name: "Bench mobile app", redirect_uris: [PUBLIC_REDIRECT], allowed_scopes: SCOPES, device_flow_enabled: true },
    "api",
  );
  const idOf = async (clientId: string) => (await prisma.connectedApp.findUniqueOrThrow({ where: { clientId }, select: { id: true } })).id;
  // The user has consented to both, as after a real authorization.
  const [confId, pubId] = [await idOf(conf.app.client_id), await idOf(pub.app.client_id)];
  await prisma.grant.createMany({ data: [confId, pubId].map((appId) => ({ userId: user.id, appId, scopes: SCOPES })) });
  // A machine client as an owner makes one: the resource server in the project's settings, then the client and its grant.
  await updateProjectSettings(prisma, actor, { resource_servers: [MACHINE_RESOURCE] });
  const machine = await createMachineClient(prisma, actor, { name: "Bench job", grants: [{ resource: MACHINE_RESOURCE, scopes: MACHINE_SCOPES }] }, "api");
  return {
    user: { id: user.id, email: "user@bench.test", name: "Bench User" },
    apiKey,
    confidential: { id: confId, clientId: conf.app.client_id, secret: conf.clientSecret! },
    public: { id: pubId, clientId: pub.app.client_id },
    machine: { clientId: machine.client.client_id, secret: machine.clientSecret! },
  };
}

export async function waitFor(what: string, child: ChildProcess, url: string, seconds: number) {
  let exited = false;
  child.once("exit", () => (exited = true));
  for (let i = 0; i < seconds * 4; i++) {
    if (exited) throw new Error(`${what} exited during start-up`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} did not answer ${url} in ${seconds} s`);
}

export async function stopChild(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM"); // start.mjs passes it on to the server
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function portInUse(port: number) {
  return fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
}

/** The endpoints' paths, from the server's discovery document. */
export async function discover(origin: string) {
  const response = await fetch(`${origin}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`${origin}/.well-known/openid-configuration: HTTP ${response.status}`);
  const d = (await response.json()) as Record<string, string | undefined>;
  const pathOf = (key: string) => {
    if (!d[key]) throw new Error(`${origin}: the discovery document has no ${key}`);
    return new URL(d[key]).pathname;
  };
  return {
    jwks: pathOf("jwks_uri"),
    token: pathOf("token_endpoint"),
    introspection: pathOf("introspection_endpoint"),
    userinfo: pathOf("userinfo_endpoint"),
    deviceAuthorization: pathOf("device_authorization_endpoint"),
  };
}

/** Signs in through next-auth's credentials sign-in, as the sign-in page does; returns the session cookie (name=value). */
export async function signIn(origin: string, email: string, password: string, callbackUrl: string): Promise<string> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
  const response = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...FORM, Cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl }).toString(),
  });
  const session = response.headers.getSetCookie().find((c) => c.includes("session-token="));
  if (!session) throw new Error(`sign-in failed: HTTP ${response.status} ${response.headers.get("location") ?? ""}`);
  return session.split(";")[0]!;
}

/**
 * A code from our authorization endpoint for the signed-in user (`cookie`)
 * who has consented already: no page, a redirect with the code. The public
 * client's carries a PKCE verifier.
 */
export async function authorizeCode(origin: string, cookie: string, client: { clientId: string; redirectUri: string; pkce: boolean }): Promise<Code> {
  const verifier = client.pkce ? randomBytes(32).toString("base64url") : undefined;
  const query = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: SCOPES.join(" "),
    state: randomBytes(8).toString("base64url"),
    nonce: randomBytes(8).toString("base64url"),
    ...(verifier ? { code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256" } : {}),
  });
  const response = await fetch(`${origin}/oauth2/authorize?${query}`, { redirect: "manual", headers: { Cookie: cookie } });
  const location = response.headers.get("location");
  const code = location ? new URL(location, origin).searchParams.get("code") : null;
  if (!code) throw new Error(`our authorization endpoint gave no code: HTTP ${response.status} ${location ?? (await response.text()).slice(0, 300)}`);
  return { code, ...(verifier ? { verifier } : {}) };
}

/** Drops a schema the run created in PostgreSQL at `databaseUrl`; a failure is reported, not thrown (cleanup). */
export async function dropSchema(databaseUrl: string, schema: string, who: string) {
  const url = new URL(databaseUrl);
  url.searchParams.delete("schema");
  const admin = new pg.Client({ connectionString: url.href });
  try {
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
  } catch (error) {
    console.error(`${who}: could not drop schema ${schema}: ${(error as Error).message}`);
  } finally {
    await admin.end().catch(() => {});
  }
}
