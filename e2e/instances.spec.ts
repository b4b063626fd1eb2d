import { expect, test } from "@playwright/test";
import { execFile } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import { decodeProtectedHeader } from "jose";
import { HttpSession, runAuthorization } from "./oauth/http-session";
import { ALICE, basic, ownerApiKey, Provider, read, type Reply, type TestApp } from "./oauth/flows";
import { raceCodeRedemption, raceRefresh } from "./oauth/races";
import {
  INSTANCE_PORTS,
  INSTANCES_DCR_LIMIT,
  INSTANCES_DCR_WINDOW_SECONDS,
  INSTANCES_ISSUER,
  PG_TEST_URL,
  UPSTREAM_HEADER,
  instancesEnv,
} from "./servers.mjs";

// Several instances (docs/decisions.md, "Hardening (issue 13)"): two
// servers on one PostgreSQL schema behind a proxy that sends each request
// to the next instance in turn (e2e/proxy.mjs, started by e2e/serve.mjs;
// A serves the protocol through the fast path, B through Next). Single use
// is decided by the database, sessions work on either instance, a change
// made on one is seen by the other within CHANGE_BOUND_MS, and rate limits
// count on both.

test.skip(!PG_TEST_URL, "TEST_DATABASE_URL is not set: two instances need one PostgreSQL database (CI sets it)");

/**
 * How soon a change made on one instance must show on the other. The
 * mechanism is the change feed: a trigger NOTIFYs at commit and every
 * instance LISTENs and empties its caches, so the real delay is one
 * notification (milliseconds). 2 s leaves room for a loaded 2-core CI and
 * stays far below the fallbacks (signing keys re-read every 10 s, cached
 * clients and settings at most 60 s old), so only the feed can pass.
 */
const CHANGE_BOUND_MS = 2_000;
const PARALLEL = 50;

const [A, B] = INSTANCE_PORTS.map((port) => `http://127.0.0.1:${port}`) as [string, string];
const viaProxy = () => new Provider(INSTANCES_ISSUER);
const direct = (origin: string) => new Provider(origin);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The instances (ports) that answered, as the proxy names them. */
const upstreams = (replies: Reply[]) => new Set(replies.map((r) => r.headers.get(UPSTREAM_HEADER)));
const BOTH = new Set(INSTANCE_PORTS.map(String));

/** Polls `check` until it holds and returns how long that took; fails past CHANGE_BOUND_MS. */
async function seenWithinBound(what: string, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) {
      const took = Math.round(performance.now() - started);
      console.log(`instances: ${what} after ${took} ms (bound ${CHANGE_BOUND_MS} ms)`);
      test.info().annotations.push({ type: "cross-instance delay", description: `${what}: ${took} ms` });
      return took;
    }
    if (performance.now() - started > CHANGE_BOUND_MS) throw new Error(`${what}: not seen within ${CHANGE_BOUND_MS} ms`);
    await sleep(20);
  }
}

/** A management-API call as the owner, to one instance. */
async function asOwner(origin: string, method: string, apiPath: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${ownerApiKey()}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const reply = await direct(origin).send(`/api/v1${apiPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(reply.status, `${method} ${apiPath} on ${origin}: ${reply.text}`).toBe(200);
  return reply;
}

/**
 * Whether `origin` accepts `secret` for `app` at the token endpoint (the
 * hot path, whose client read is cached): a refresh with a token that does
 * not exist is `invalid_grant` once the client is authenticated, and
 * `invalid_client` when it is not.
 */
async function acceptsSecret(origin: string, app: TestApp, secret: string): Promise<boolean> {
  const reply = await direct(origin).postForm("/oauth2/token", { grant_type: "refresh_token", refresh_token: "no-such-token" }, { authorization: basic(app.clientId, secret) });
  if (reply.json?.error === "invalid_grant") return true;
  expect(reply.json?.error, reply.text).toBe("invalid_client");
  return false;
}

/** `npm run admin -- …` on the instances' database (a third process: neither instance hears of it first). */
async function admin(...args: string[]): Promise<string> {
  const root = path.resolve(import.meta.dirname, "..");
  const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const { stdout } = await promisify(execFile)(process.execPath, [tsx, path.join(root, "scripts", "admin.ts"), ...args], {
    cwd: root,
    env: { ...process.env, ...instancesEnv() },
  });
  return stdout;
}

/** A request through the proxy from a chosen loopback address: the proxy names it in X-Forwarded-For, as a client's address. */
function sendFrom(localAddress: string, method: string, requestPath: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL(requestPath, INSTANCES_ISSUER),
      { method, localAddress, headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) if (typeof value === "string") responseHeaders.set(name, value);
          let json: unknown = null;
          try {
            json = JSON.parse(raw);
          } catch {
            json = null;
          }
          resolve({ status: response.statusCode ?? 0, headers: responseHeaders, text: raw, json });
        });
      },
    );
    request.on("error", reject);
    request.end(text);
  });
}

/**
 * Rate limits count in fixed windows aligned to the clock: a check that
 * must stay inside one window waits out the end of the current one when it
 * is less than `seconds` away.
 */
async function awayFromWindowEnd(windowSeconds: number, seconds = 30): Promise<void> {
  const left = windowSeconds - ((Date.now() / 1000) % windowSeconds);
  if (left < seconds) await sleep(left * 1000 + 500);
}

test("the proxy sends one client's consecutive requests to both instances, which share the issuer", async () => {
  const replies: Reply[] = [];
  for (let i = 0; i < 4; i++) replies.push(await viaProxy().send("/.well-known/openid-configuration"));
  for (const reply of replies) expect(reply.json.issuer).toBe(INSTANCES_ISSUER);
  expect(upstreams(replies)).toEqual(BOTH);
  expect(replies[0]!.headers.get(UPSTREAM_HEADER)).not.toBe(replies[1]!.headers.get(UPSTREAM_HEADER));
  for (const origin of [A, B]) expect((await direct(origin).send("/api/health")).json.database.kind).toBe("postgres");
});

test.describe("single use across instances", () => {
  test.setTimeout(120_000);

  test(`${PARALLEL} parallel redemptions of one code on both instances: one wins, the rest are second uses that revoke its tokens`, async () => {
    expect(upstreams(await raceCodeRedemption(viaProxy(), PARALLEL))).toEqual(BOTH);
  });

  test(`${PARALLEL} parallel refreshes of one public refresh token on both instances: one wins, and the family is revoked`, async () => {
    expect(upstreams(await raceRefresh(viaProxy(), PARALLEL))).toEqual(BOTH); // no reuse interval: strict single use
  });

  test("a refresh whose answer was lost, retried on the other instance within the reuse interval, works once; the next replay revokes the family", async () => {
    const op = viaProxy();
    const app = await op.createApp("first_party_public");
    const held = (await op.tokens(app)).refresh_token!;
    const lost = await op.refresh(app, held);
    const retried = await op.refresh(app, held);
    expect([lost.status, retried.status]).toEqual([200, 200]);
    expect(upstreams([lost, retried])).toEqual(BOTH);
    expect(await op.isActive(lost.json.refresh_token as string)).toBe(false);
    expect(await op.isActive(retried.json.refresh_token as string)).toBe(true);
    expect((await op.refresh(app, held)).json.error).toBe("invalid_grant");
    expect(await op.isActive(retried.json.refresh_token as string)).toBe(false);
  });
});

test("a session made on one instance signs the user in on the other: consent there, the code redeemed back on the first", async () => {
  const onA = await direct(A).signedIn(ALICE);
  const onB = onA.at(B);
  const session = (await (await onB.fetch("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email).toBe(ALICE.email);

  // A third-party app is always asked for consent: B shows the page to A's session and issues the code.
  const app = await viaProxy().createApp("third_party", { allowed_scopes: ["openid", "email", "read:current_user"] });
  const result = await runAuthorization(onB, direct(B).authorizeUrl(app, { scope: "openid email read:current_user" }));
  expect(result.sawConsent).toBe(true);
  const code = result.callback?.searchParams.get("code");
  expect(code, `authorization stopped at ${result.visited.join(" → ")}`).toBeTruthy();
  expect(result.callback?.searchParams.get("iss")).toBe(INSTANCES_ISSUER);

  const tokens = await direct(A).redeem(app, { code: code!, verifier: undefined, redirectUri: app.redirectUris[0]! });
  expect(tokens.status, tokens.text).toBe(200);
  const me = await direct(B).send("/api/v1/me", { headers: { authorization: `Bearer ${tokens.json.access_token}` } });
  expect(me.status, me.text).toBe(200);
  expect(me.json.email).toBe(ALICE.email);
});

test.describe("a change on one instance is seen by the other", () => {
  test("a client secret rotation on A", async () => {
    const app = await direct(A).createApp("first_party");
    const oldSecret = app.clientSecret!;
    // B reads (and caches) the app before the change.
    expect(await acceptsSecret(B, app, oldSecret)).toBe(true);

    const started = await asOwner(A, "POST", `/connected-apps/${app.clientId}/secret/rotate/start`);
    const newSecret = started.json.client_secret as string;
    await seenWithinBound("B accepts the new secret of a rotation started on A", () => acceptsSecret(B, app, newSecret));
    expect(await acceptsSecret(B, app, oldSecret)).toBe(true);

    await asOwner(A, "POST", `/connected-apps/${app.clientId}/secret/rotate/complete`);
    await seenWithinBound("B refuses the old secret once A completed the rotation", async () => !(await acceptsSecret(B, app, oldSecret)));
    expect(await acceptsSecret(B, app, newSecret)).toBe(true);
  });

  test("an app disabled on A", async () => {
    const app = await direct(A).createApp("first_party");
    const tokens = await viaProxy().tokens(app);
    expect(await acceptsSecret(B, app, app.clientSecret!)).toBe(true);
    expect(await direct(B).isActive(tokens.access_token)).toBe(true);

    await asOwner(A, "PATCH", `/connected-apps/${app.clientId}`, { status: "disabled" });
    await seenWithinBound("B refuses the client of an app disabled on A", async () => !(await acceptsSecret(B, app, app.clientSecret!)));
    // Token status is read from the database with each check: nothing to wait for.
    expect(await direct(B).isActive(tokens.access_token)).toBe(false);
    expect((await direct(B).userinfo(tokens.access_token)).status).toBe(401);
  });

  test("the project settings changed on A (Dynamic Client Registration turned on)", async () => {
    const registrationEndpoint = async (origin: string) => (await direct(origin).send("/.well-known/oauth-authorization-server")).json.registration_endpoint;
    expect(await registrationEndpoint(B)).toBeUndefined();
    await asOwner(A, "PATCH", "/settings", { dcr_enabled: true });
    await seenWithinBound("B's discovery lists registration once A turned DCR on", async () => (await registrationEndpoint(B)) === `${INSTANCES_ISSUER}/oauth2/register`);
  });

  test("signing keys rotated by the admin CLI: both instances publish and sign with the new keys", async () => {
    const app = await viaProxy().createApp("first_party");
    const { refresh_token: refreshToken } = await viaProxy().tokens(app);
    const kids = async (origin: string) => ((await direct(origin).send("/.well-known/jwks.json")).json.keys as { kid: string }[]).map((k) => k.kid);
    const signedKid = async (origin: string) => {
      const reply = await direct(origin).refresh(app, refreshToken!);
      expect(reply.status, reply.text).toBe(200);
      return decodeProtectedHeader(reply.json.access_token as string).kid;
    };
    // Both instances hold the current keys before the rotation.
    const before = await kids(A);
    expect(await kids(B)).toEqual(before);
    for (const origin of [A, B]) expect(before).toContain(await signedKid(origin));

    const printed = await admin("rotate-signing-keys");
    const fresh = printed.match(/new signing keys: ([\w-]+), ([\w-]+);/)?.slice(1);
    expect(fresh, printed).toHaveLength(2);
    for (const [name, origin] of [["A", A], ["B", B]] as const) {
      await seenWithinBound(`${name} publishes the keys the CLI made`, async () => {
        const published = await kids(origin);
        return fresh!.every((kid) => published.includes(kid));
      });
      expect(fresh).toContain(await signedKid(origin));
    }
    // A token signed with a new key on one instance is active on the other.
    const fromA = await direct(A).refresh(app, refreshToken!);
    expect(await direct(B).isActive(fromA.json.access_token)).toBe(true);
  });
});

test.describe("rate limits count on both instances", () => {
  test.setTimeout(90_000);

  test(`the registration limit (${INSTANCES_DCR_LIMIT} per source) holds across instances, per client address`, async () => {
    await asOwner(A, "PATCH", "/settings", { dcr_enabled: true });
    await awayFromWindowEnd(INSTANCES_DCR_WINDOW_SECONDS);
    let n = 0;
    const register = (from: string, headers: Record<string, string> = {}) =>
      sendFrom(from, "POST", "/oauth2/register", { client_name: `instances ${Date.now()}-${n++}`, redirect_uris: ["http://127.0.0.1/cb"], token_endpoint_auth_method: "none" }, headers);

    const allowed: Reply[] = [];
    for (let i = 0; i < INSTANCES_DCR_LIMIT; i++) allowed.push(await register("127.0.0.2"));
    expect(allowed.map((r) => r.status)).toEqual(Array<number>(INSTANCES_DCR_LIMIT).fill(201));
    expect(upstreams(allowed)).toEqual(BOTH);

    const refused = [await register("127.0.0.2"), await register("127.0.0.2")];
    for (const reply of refused) {
      expect(reply.status, reply.text).toBe(429);
      expect(reply.json.error).toBe("temporarily_unavailable");
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(upstreams(refused)).toEqual(BOTH);
    // The proxy appends to X-Forwarded-For and the server takes its entry: a client cannot name another bucket.
    expect((await register("127.0.0.2", { "x-forwarded-for": "203.0.113.7" })).status).toBe(429);
    // Another client address has its own bucket.
    expect((await register("127.0.0.3")).status).toBe(201);
  });

  test("sign-in attempts for one account are counted on both instances", async () => {
    await awayFromWindowEnd(15 * 60);
    const email = `throttled-${Date.now()}@e2e.test`;
    const browser = new HttpSession(INSTANCES_ISSUER);
    /** One sign-in through the proxy (next-auth's CSRF cookie from one instance, checked by the other): its error and the instance that checked it. */
    const attempt = async () => {
      const csrf = ((await (await browser.fetch("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
      const response = await browser.fetch("/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken: csrf, email, password: "wrong-password-e2e", callbackUrl: "/account", json: "true" }),
      });
      const reply = await read(response);
      const error = new URL(reply.json?.url ?? reply.headers.get("location") ?? "", INSTANCES_ISSUER).searchParams.get("error");
      return { error, upstream: reply.headers.get(UPSTREAM_HEADER) };
    };
    const between = () => browser.fetch("/api/health/live");
    const attempts = [];
    // Ten attempts, the limit (lib/auth/signin-throttle.ts); a request in between every other one moves the next to the other instance.
    for (let i = 0; i < 10; i++) {
      attempts.push(await attempt());
      if (i % 2 === 0) await between();
    }
    expect(attempts.map((a) => a.error)).toEqual(Array<string>(10).fill("CredentialsSignin"));
    expect(new Set(attempts.map((a) => a.upstream))).toEqual(BOTH);
    const locked = [await attempt()];
    await between();
    locked.push(await attempt());
    for (const a of locked) expect(a.error).toMatch(/^throttled:\d+$/);
    expect(new Set(locked.map((a) => a.upstream))).toEqual(BOTH);
  });
});
