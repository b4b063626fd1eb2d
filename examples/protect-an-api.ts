/**
 * Protecting an API or an MCP server with Connected Apps: verify the JWT
 * access tokens (RFC 9068) it issues against its JWKS, check the issuer,
 * the audience (this server's identifier, RFC 8707), the `at+jwt` type and
 * a scope, and answer 401/403 with the `WWW-Authenticate` challenge MCP
 * clients follow to the protected-resource metadata (RFC 9728). A
 * DPoP-bound token (RFC 9449, `cnf.jkt`) is accepted only with the DPoP
 * scheme and a proof signed by its key.
 *
 * Only needs `jose`. Run it:
 *   ISSUER=https://id.example.com RESOURCE=http://localhost:8787/mcp SCOPE=mcp:tools npx tsx examples/protect-an-api.ts
 * (list RESOURCE under Settings → Resource servers; http is accepted there
 * only for localhost while the identity provider runs in development).
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { calculateJwkThumbprint, createRemoteJWKSet, EmbeddedJWK, errors, jwtVerify, type JWTPayload } from "jose";

/** DPoP proofs: asymmetric algorithms only (RFC 9449 §4.2). */
const DPOP_ALGS = ["ES256", "RS256", "PS256", "EdDSA", "Ed25519"];
/** How far a proof's iat may be from this server's clock, and how long its jti is remembered. */
const DPOP_IAT_WINDOW_S = 60;

export interface GuardOptions {
  /** The identity provider's issuer, e.g. `https://id.example.com`. */
  issuer: string;
  /** This server's resource identifier, as listed in the provider's resource servers, e.g. `https://mcp.example.com/mcp`. */
  resource: string;
  /** The scope every request needs, e.g. `mcp:tools`. */
  scope: string;
  /** Defaults to the issuer's `/.well-known/jwks.json`. */
  jwksUri?: string;
}

export type Verified = { ok: true; claims: JWTPayload & { sub: string; scope: string; client_id: string } } | { ok: false; response: Response };

/** RFC 9728 §3.1: the metadata URL of a resource, `/.well-known/oauth-protected-resource` inserted before its path. */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

export function createGuard(options: GuardOptions) {
  // Caches the keys and refetches when a token names an unknown kid (key rotation).
  const jwks = createRemoteJWKSet(new URL(options.jwksUri ?? `${options.issuer}/.well-known/jwks.json`));
  const metadataUrl = resourceMetadataUrl(options.resource);

  /** RFC 6750 §3 with RFC 9728 §5.1: an MCP client reads resource_metadata to find the authorization server. */
  function challenge(status: 401 | 403, error?: { code: string; description: string }, dpop = false): Response {
    const params = [error && `error="${error.code}"`, error && `error_description="${error.description}"`, `scope="${options.scope}"`, `resource_metadata="${metadataUrl}"`];
    // RFC 9449 §7.1: a DPoP request is answered with a DPoP challenge naming the proof algorithms.
    const scheme = dpop ? `DPoP algs="${DPOP_ALGS.join(" ")}", ` : "Bearer ";
    return Response.json(error ? { error: error.code, error_description: error.description } : { error: "invalid_token", error_description: "An access token is required" }, {
      status,
      headers: { "WWW-Authenticate": `${scheme}${params.filter(Boolean).join(", ")}` },
    });
  }

  // jtis of accepted proofs until their iat window has passed (one process; several instances share a store with a unique key).
  const spentProofs = new Map<string, number>();

  /**
   * RFC 9449 §4.3, §7.1: a DPoP-bound token's proof: signed by the key in its
   * header, which must be the token's (`cnf.jkt`), for this method and URL,
   * recent, for this token (`ath`), never seen before. Returns the problem, or null.
   */
  async function dpopProblem(request: Request, token: string, jkt: unknown): Promise<string | null> {
    const proof = request.headers.get("dpop");
    if (typeof jkt !== "string") return "The access token is not DPoP-bound";
    if (!proof) return "A DPoP proof is required";
    try {
      const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: DPOP_ALGS });
      const url = new URL(request.url);
      const expectedHtu = `${new URL(options.resource).origin}${url.pathname}`;
      const htu = typeof payload.htu === "string" ? URL.parse(payload.htu) : null;
      if (htu) htu.search = htu.hash = "";
      if (payload.htm !== request.method || htu?.href !== expectedHtu) return "The DPoP proof is for another request";
      const now = Math.floor(Date.now() / 1000);
      if (typeof payload.iat !== "number" || Math.abs(now - payload.iat) > DPOP_IAT_WINDOW_S) return "The DPoP proof is not recent";
      if (payload.ath !== createHash("sha256").update(token).digest("base64url")) return "The DPoP proof is for another token";
      if ((await calculateJwkThumbprint(protectedHeader.jwk!)) !== jkt) return "The DPoP proof is not signed with the token's key";
      for (const [jti, until] of spentProofs) if (until < now) spentProofs.delete(jti);
      const key = `${jkt}:${String(payload.jti)}`;
      if (typeof payload.jti !== "string" || spentProofs.has(key)) return "The DPoP proof was used before";
      spentProofs.set(key, now + 2 * DPOP_IAT_WINDOW_S);
      return null;
    } catch {
      return "The DPoP proof is invalid";
    }
  }

  /** Checks the request's access token: a bearer token, or a DPoP-bound one with its proof. */
  async function verify(request: Request): Promise<Verified> {
    const match = /^(Bearer|DPoP) +(\S+)$/i.exec(request.headers.get("authorization") ?? "");
    if (!match) return { ok: false, response: challenge(401) };
    const dpop = match[1]!.toLowerCase() === "dpop";
    try {
      const { payload } = await jwtVerify(match[2]!, jwks, {
        issuer: options.issuer,
        audience: options.resource, // a token for another API is refused
        typ: "at+jwt", // an ID token is not an access token (RFC 9068 §4)
        algorithms: ["RS256", "ES256"],
        requiredClaims: ["sub", "exp", "client_id"],
      });
      const jkt = (payload.cnf as { jkt?: unknown } | undefined)?.jkt;
      // RFC 9449 §7.2: a bound token sent as a bearer token is refused (it may have been stolen).
      const problem = dpop ? await dpopProblem(request, match[2]!, jkt) : jkt !== undefined ? "The access token is DPoP-bound: use the DPoP scheme" : null;
      if (problem) return { ok: false, response: challenge(401, { code: dpop ? "invalid_dpop_proof" : "invalid_token", description: problem }, dpop) };
      const scopes = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
      if (!scopes.includes(options.scope)) {
        return { ok: false, response: challenge(403, { code: "insufficient_scope", description: `The token lacks the ${options.scope} scope` }) };
      }
      return { ok: true, claims: payload as Extract<Verified, { ok: true }>["claims"] };
    } catch (e) {
      const description = e instanceof errors.JWTExpired ? "The access token has expired" : "The access token is invalid";
      return { ok: false, response: challenge(401, { code: "invalid_token", description }) };
    }
  }

  /** The protected-resource metadata (RFC 9728 §2) to serve at `resourceMetadataUrl(resource)`. */
  function metadata(): Response {
    return Response.json(
      { resource: options.resource, authorization_servers: [options.issuer], scopes_supported: [options.scope], bearer_methods_supported: ["header"] },
      { headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" } },
    );
  }

  return { verify, metadata, metadataUrl };
}

/** A tiny API: the metadata document, and one protected endpoint at the resource's path. */
export function createApi(options: GuardOptions): (request: Request) => Promise<Response> {
  const guard = createGuard(options);
  const resourcePath = new URL(options.resource).pathname;
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === new URL(guard.metadataUrl).pathname) return guard.metadata();
    if (pathname !== resourcePath) return Response.json({ error: "not_found" }, { status: 404 });
    const verified = await guard.verify(request);
    if (!verified.ok) return verified.response;
    // An MCP server would hand the request to its transport here.
    return Response.json({ hello: verified.claims.sub, client_id: verified.claims.client_id, scope: verified.claims.scope });
  };
}

/** Serves a `(Request) => Response` handler with node:http. */
export function serve(handler: (request: Request) => Promise<Response>, port: number) {
  return createServer(async (req, res) => {
    const request = new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([name, value]) => (typeof value === "string" ? [[name, value] as [string, string]] : [])),
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  }).listen(port);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const options = { issuer: process.env.ISSUER ?? "http://localhost:3000", resource: process.env.RESOURCE ?? "http://localhost:8787/mcp", scope: process.env.SCOPE ?? "mcp:tools" };
  serve(createApi(options), Number(new URL(options.resource).port || 8787));
  console.log(`Protected ${options.resource}; metadata at ${resourceMetadataUrl(options.resource)}`);
}
