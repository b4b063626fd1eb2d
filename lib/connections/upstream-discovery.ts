import * as oauth from "oauth4webapi";
import { PRESETS, type ConnectionKind } from "./presets";
import { upstreamFetch, UpstreamError } from "./upstream-fetch";

/** How long a discovery document is reused in this process (an upstream rotates endpoints rarely; keys are fetched by the JWKS cache). */
export const DISCOVERY_TTL_MS = 60 * 60 * 1000;

/** Fixed endpoints of an OAuth 2.0 preset (GitHub): where to send the user, redeem the code and read the user. */
export interface PresetEndpoints {
  authorization: string;
  token: string;
  user: string;
  emails: string;
}

/** An upstream as the sign-in flow talks to it. */
export interface UpstreamServer {
  /** oauth4webapi's view: the issuer and the endpoints (from discovery, or a preset's fixed ones). */
  as: oauth.AuthorizationServer;
  protocol: "oidc" | "oauth2";
  /** OAuth 2.0 presets: the user API. */
  endpoints?: PresetEndpoints;
  /** Requests may use http: only for a loopback issuer (input.ts allows no other http issuer). */
  insecure: boolean;
}

const cache = new Map<string, { server: oauth.AuthorizationServer; until: number }>();

/** Options oauth4webapi needs for every request to this upstream: our bounded fetch, and http only on loopback. */
export function requestOptions(server: Pick<UpstreamServer, "insecure">) {
  return { [oauth.customFetch]: upstreamFetch, ...(server.insecure && { [oauth.allowInsecureRequests]: true }) };
}

const isLoopbackHttp = (url: URL) => url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);

/**
 * The upstream of a connection: an OpenID Connect issuer's discovery document
 * (`{issuer}/.well-known/openid-configuration`, cached per process for
 * DISCOVERY_TTL_MS; a failure is not cached), or an OAuth 2.0 preset's fixed
 * endpoints. `presetEndpoints` replaces a preset's endpoints (tests only:
 * a fake GitHub on 127.0.0.1).
 */
export async function upstreamServer(
  connection: { kind: ConnectionKind; issuer: string | null },
  presetEndpoints?: PresetEndpoints,
  now = Date.now(),
): Promise<UpstreamServer> {
  const preset = PRESETS[connection.kind];
  if (preset.protocol === "oauth2") {
    const endpoints: PresetEndpoints = presetEndpoints ?? preset.endpoints;
    const authorization = new URL(endpoints.authorization);
    return {
      // No issuer identifier: a synthetic one from the authorization endpoint's origin (never compared with anything upstream sends).
      as: { issuer: authorization.origin, authorization_endpoint: endpoints.authorization, token_endpoint: endpoints.token },
      protocol: "oauth2",
      endpoints,
      insecure: isLoopbackHttp(authorization),
    };
  }
  if (!connection.issuer) throw new UpstreamError("no_issuer", "The connection has no issuer");
  const issuer = new URL(connection.issuer);
  const insecure = isLoopbackHttp(issuer);
  const cached = cache.get(connection.issuer);
  if (cached && cached.until > now) return { as: cached.server, protocol: "oidc", insecure };
  let server: oauth.AuthorizationServer;
  try {
    const response = await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...requestOptions({ insecure }) });
    server = await oauth.processDiscoveryResponse(issuer, response);
  } catch (e) {
    throw new UpstreamError("discovery_failed", `The identity provider's discovery document could not be used (${(e as Error).message})`);
  }
  if (!server.authorization_endpoint || !server.token_endpoint || !server.jwks_uri) {
    throw new UpstreamError("discovery_incomplete", "The identity provider's discovery document lacks an authorization, token or JWKS endpoint");
  }
  cache.set(connection.issuer, { server, until: now + DISCOVERY_TTL_MS });
  return { as: server, protocol: "oidc", insecure };
}

/** Forgets cached discovery documents (tests). */
export function clearDiscoveryCache(): void {
  cache.clear();
}
