import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";

/**
 * A small OpenID Connect provider on 127.0.0.1 for the sign-in connection
 * tests: discovery, JWKS, a token endpoint that checks client_secret_basic
 * (or _post), the code and its PKCE verifier, and UserInfo. `authorize`
 * stands for the user approving at the upstream: it returns the code for
 * the callback. Each test can change the ID token it answers with.
 */
export interface FakeUpstream {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The user approves the authorization request at `location` (our redirect): the callback URL the upstream sends them to. */
  authorize(location: string, user: UpstreamUser, options?: { iss?: string | null }): string;
  /** Changes the next ID tokens: claims to override, or another signing key (a forged token). */
  tamper: { claims?: JWTPayload; forgeKey?: boolean; omitEmailFromIdToken?: boolean } | null;
  /** Token endpoint auth methods to advertise in discovery. */
  authMethods: string[];
  /** The client authentication the token endpoint last saw. */
  lastClientAuth: "basic" | "post" | null;
  close(): Promise<void>;
}

export interface UpstreamUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

interface PendingCode {
  user: UpstreamUser;
  nonce: string | null;
  challenge: string;
  redirectUri: string;
}

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const forged = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const codes = new Map<string, PendingCode>();
  const tokens = new Map<string, UpstreamUser>();
  let issuer = "";
  const state: Omit<FakeUpstream, "issuer" | "authorize" | "close"> = {
    clientId: "upstream-client",
    clientSecret: "upstream-secret",
    tamper: null,
    authMethods: ["client_secret_basic", "client_secret_post"],
    lastClientAuth: null,
  };
  const sign = (claims: JWTPayload, key: CryptoKey) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(key);
  const json = (res: import("node:http").ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(JSON.stringify(value));
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url!, issuer);
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: state.authMethods,
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (url.pathname === "/jwks") return json(res, 200, { keys: [jwk] });
    if (url.pathname === "/userinfo") {
      const user = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
      return user ? json(res, 200, user) : json(res, 401, { error: "invalid_token" });
    }
    if (url.pathname === "/token" && req.method === "POST") {
      const form = await body(req);
      const basic = req.headers.authorization?.startsWith("Basic ") ? Buffer.from(req.headers.authorization.slice(6), "base64").toString() : null;
      const [id, secret] = basic ? basic.split(":").map(decodeURIComponent) : [form.get("client_id"), form.get("client_secret")];
      state.lastClientAuth = basic ? "basic" : "post";
      if (id !== state.clientId || secret !== state.clientSecret) return json(res, 401, { error: "invalid_client" });
      const pending = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      const verifier = form.get("code_verifier") ?? "";
      if (!pending || pending.redirectUri !== form.get("redirect_uri") || createHash("sha256").update(verifier).digest("base64url") !== pending.challenge) {
        return json(res, 400, { error: "invalid_grant" });
      }
      const accessToken = randomBytes(16).toString("hex");
      tokens.set(accessToken, pending.user);
      const now = Math.floor(Date.now() / 1000);
      const { tamper } = state;
      const profile = tamper?.omitEmailFromIdToken ? { sub: pending.user.sub } : pending.user;
      const claims = { iss: issuer, aud: state.clientId, iat: now, exp: now + 300, ...(pending.nonce && { nonce: pending.nonce }), ...profile, ...tamper?.claims };
      const idToken = await sign(claims, tamper?.forgeKey ? forged.privateKey : privateKey);
      return json(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 300, id_token: idToken });
    }
    json(res, 404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return Object.assign(state, {
    issuer,
    authorize(location: string, user: UpstreamUser, options: { iss?: string | null } = {}) {
      const request = new URL(location);
      const code = randomBytes(16).toString("hex");
      codes.set(code, {
        user,
        nonce: request.searchParams.get("nonce"),
        challenge: request.searchParams.get("code_challenge")!,
        redirectUri: request.searchParams.get("redirect_uri")!,
      });
      const callback = new URL(request.searchParams.get("redirect_uri")!);
      callback.searchParams.set("code", code);
      callback.searchParams.set("state", request.searchParams.get("state")!);
      const iss = options.iss === undefined ? issuer : options.iss;
      if (iss !== null) callback.searchParams.set("iss", iss);
      return callback.toString();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
