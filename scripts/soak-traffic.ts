// The mixed traffic of `npm run soak`: each worker loops over operations
// picked at random by weight (the table below) until told to stop, one
// request in flight at a time, and counts every request and every answer
// that is not the expected one. Tokens come from real flows: a code from the
// authorization endpoint (signed-in user, consent given), exchanged at the
// token endpoint, then refreshed, introspected and used at userinfo.
import { randomBytes } from "node:crypto";
import { authorizeCode, CONFIDENTIAL_REDIRECT, FORM, PUBLIC_REDIRECT, type Seed } from "./bench-server";

export interface SoakTarget {
  origin: string;
  paths: { jwks: string; token: string; introspection: string; userinfo: string };
  /** The signed-in user's session cookie (name=value). */
  cookie: string;
  seed: Seed;
  /** Basic credentials of the confidential app. */
  basic: string;
}

/** Requests and unexpected answers, per operation, with the first few distinct errors. */
export class Tally {
  readonly byOperation = new Map<string, { requests: number; errors: number }>();
  readonly samples: string[] = [];

  count(operation: string, error?: string) {
    const entry = this.byOperation.get(operation) ?? { requests: 0, errors: 0 };
    entry.requests++;
    if (error !== undefined) {
      entry.errors++;
      const sample = `${operation}: ${error.slice(0, 300)}`;
      if (this.samples.length < 10 && !this.samples.includes(sample)) this.samples.push(sample);
    }
    this.byOperation.set(operation, entry);
  }

  get requests() {
    return [...this.byOperation.values()].reduce((sum, e) => sum + e.requests, 0);
  }

  get errors() {
    return [...this.byOperation.values()].reduce((sum, e) => sum + e.errors, 0);
  }
}

/** What one worker holds between operations. */
interface Worker {
  target: SoakTarget;
  tally: Tally;
  confidentialRefresh?: string;
  /** The head of a rotating chain: each refresh returns the next one. */
  publicRefresh?: string;
  /** The confidential app's (introspection allows an app only its own tokens). */
  accessToken?: string;
}

type Body = Record<string, unknown>;

/**
 * One request; its JSON body (an empty one for no content) if it answered
 * `expected` and `check` finds nothing wrong, else undefined, counted as an error.
 */
async function call(
  w: Worker,
  operation: string,
  path: string,
  init: RequestInit,
  expected: number,
  check: (body: Body) => string | null = () => null,
): Promise<Body | undefined> {
  let problem: string | null;
  let body: Body = {};
  try {
    const response = await fetch(`${w.target.origin}${path}`, { ...init, redirect: "manual" });
    const text = await response.text();
    if (response.status !== expected) problem = `HTTP ${response.status} ${text}`;
    else {
      body = text ? (JSON.parse(text) as Body) : {};
      problem = check(body);
    }
  } catch (error) {
    problem = (error as Error).message;
  }
  w.tally.count(operation, problem ?? undefined);
  return problem === null ? body : undefined;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A code from the authorization endpoint, exchanged at the token endpoint: two requests. */
async function codeExchange(w: Worker, client: "confidential" | "public"): Promise<void> {
  const { seed, origin, cookie, paths, basic } = w.target;
  const pkce = client === "public";
  const redirectUri = pkce ? PUBLIC_REDIRECT : CONFIDENTIAL_REDIRECT;
  let code;
  try {
    code = await authorizeCode(origin, cookie, { clientId: seed[client].clientId, redirectUri, pkce });
    w.tally.count("authorize");
  } catch (error) {
    w.tally.count("authorize", (error as Error).message);
    return;
  }
  const fields: Record<string, string> = { grant_type: "authorization_code", code: code.code, redirect_uri: redirectUri };
  if (pkce) Object.assign(fields, { client_id: seed.public.clientId, code_verifier: code.verifier! });
  const headers = pkce ? FORM : { ...FORM, Authorization: basic };
  const tokens = await call(w, `code exchange (${client})`, paths.token, { method: "POST", headers, body: form(fields) }, 200);
  if (!tokens) return;
  if (pkce) w.publicRefresh = tokens.refresh_token as string;
  else [w.confidentialRefresh, w.accessToken] = [tokens.refresh_token as string, tokens.access_token as string];
}

async function refreshConfidential(w: Worker): Promise<void> {
  if (!w.confidentialRefresh) return codeExchange(w, "confidential");
  const body = form({ grant_type: "refresh_token", refresh_token: w.confidentialRefresh });
  const tokens = await call(w, "refresh (confidential)", w.target.paths.token, { method: "POST", headers: { ...FORM, Authorization: w.target.basic }, body }, 200);
  if (tokens) w.accessToken = tokens.access_token as string;
}

async function refreshPublic(w: Worker): Promise<void> {
  if (!w.publicRefresh) return codeExchange(w, "public");
  const body = form({ grant_type: "refresh_token", refresh_token: w.publicRefresh, client_id: w.target.seed.public.clientId });
  const tokens = await call(w, "refresh (public, rotating)", w.target.paths.token, { method: "POST", headers: FORM, body }, 200);
  // A refused chain is not retried (that would be a replay): the next refresh starts a new one.
  w.publicRefresh = tokens?.refresh_token as string | undefined;
}

async function introspect(w: Worker): Promise<void> {
  if (!w.accessToken) return codeExchange(w, "confidential");
  const body = form({ token: w.accessToken, token_type_hint: "access_token" });
  await call(w, "introspection", w.target.paths.introspection, { method: "POST", headers: { ...FORM, Authorization: w.target.basic }, body }, 200, (b) =>
    b.active === true ? null : "active is not true",
  );
}

async function userinfo(w: Worker): Promise<void> {
  if (!w.accessToken) return codeExchange(w, "confidential");
  await call(w, "userinfo", w.target.paths.userinfo, { headers: { Authorization: `Bearer ${w.accessToken}` } }, 200);
}

/** An app created and deleted through the management API (the database stays the same size). */
async function managementApp(w: Worker): Promise<void> {
  const auth = { Authorization: `Bearer ${w.target.seed.apiKey}` };
  const input = { client_type: "third_party", name: `Soak app ${randomBytes(6).toString("hex")}`, redirect_uris: ["https://soak.example/callback"] };
  const app = await call(w, "management: create app", "/api/v1/connected-apps", { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify(input) }, 201);
  if (!app) return;
  await call(w, "management: delete app", `/api/v1/connected-apps/${encodeURIComponent(app.client_id as string)}`, { method: "DELETE", headers: auth }, 204);
}

/** A client registered by DCR (RFC 7591), then deleted with its registration access token (RFC 7592 §2.3). */
async function dcr(w: Worker): Promise<void> {
  // A distinct name each time: identical public registrations are deduplicated.
  const metadata = { client_name: `Soak client ${randomBytes(6).toString("hex")}`, redirect_uris: ["http://127.0.0.1/soak"], token_endpoint_auth_method: "none" };
  const client = await call(w, "DCR: register", "/oauth2/register", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(metadata) }, 201);
  if (!client) return;
  const path = new URL(client.registration_client_uri as string).pathname;
  await call(w, "DCR: delete", path, { method: "DELETE", headers: { Authorization: `Bearer ${client.registration_access_token as string}` } }, 204);
}

/** The mix: weights are relative (a token-path operation comes up about ten times as often as a registration). */
const OPERATIONS: readonly { weight: number; run: (w: Worker) => Promise<void> }[] = [
  { weight: 2, run: (w) => codeExchange(w, "confidential") },
  { weight: 2, run: (w) => codeExchange(w, "public") },
  { weight: 3, run: refreshConfidential },
  { weight: 3, run: refreshPublic },
  { weight: 3, run: introspect },
  { weight: 3, run: userinfo },
  { weight: 2, run: (w) => call(w, "discovery", "/.well-known/openid-configuration", {}, 200).then(() => {}) },
  { weight: 2, run: (w) => call(w, "JWKS", w.target.paths.jwks, {}, 200).then(() => {}) },
  { weight: 0.3, run: managementApp },
  { weight: 0.3, run: dcr },
];
const TOTAL_WEIGHT = OPERATIONS.reduce((sum, o) => sum + o.weight, 0);

function pick() {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const operation of OPERATIONS) if ((r -= operation.weight) < 0) return operation;
  return OPERATIONS[0]!;
}

/** Runs `workers` loops of the mix against `target` until `stopped()` says so. */
export async function runTraffic(target: SoakTarget, workers: number, tally: Tally, stopped: () => boolean): Promise<void> {
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const w: Worker = { target, tally };
      while (!stopped()) await pick().run(w);
    }),
  );
}
