import { readCappedBody } from "../capped-body";

/** How long one request to an upstream identity provider may take. */
export const UPSTREAM_TIMEOUT_MS = 10_000;
/** The largest body read from an upstream (discovery, JWKS, token and user responses are a few KB). */
export const UPSTREAM_MAX_BYTES = 512 * 1024;

/**
 * fetch for requests to an upstream identity provider: a timeout, no
 * redirects followed, and the body cut off beyond UPSTREAM_MAX_BYTES (an
 * error), so a slow or hostile upstream cannot hold a sign-in or fill the
 * memory. No address rules: the owner chose the issuer, and an internal
 * IdP is a legitimate choice (docs/reference/sign-in-connections.md).
 */
export async function upstreamFetch(url: string | URL, init: UpstreamRequestInit = {}): Promise<Response> {
  const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(UPSTREAM_TIMEOUT_MS)]) : AbortSignal.timeout(UPSTREAM_TIMEOUT_MS);
  const response = await fetch(url, { ...init, body: init.body as BodyInit | null | undefined, signal, redirect: "manual" });
  const declared = Number(response.headers.get("content-length"));
  if (declared > UPSTREAM_MAX_BYTES) throw new UpstreamError("too_large", "The identity provider's response is too large");
  // No body stays no body (a 204 or 304 Response cannot be built with one).
  const body = response.body ? await readCappedBody(response, UPSTREAM_MAX_BYTES) : null;
  if (response.body && body === null) throw new UpstreamError("too_large", "The identity provider's response is too large");
  const headers = new Headers(response.headers);
  // The body is already decoded and may be re-measured: these no longer describe it.
  headers.delete("content-encoding");
  headers.delete("content-length");
  return new Response(body as BodyInit | null, { status: response.status, statusText: response.statusText, headers });
}

/** What oauth4webapi and jose hand their custom fetch (a body may be a Uint8Array). */
export type UpstreamRequestInit = Omit<RequestInit, "body"> & { body?: BodyInit | Uint8Array | null };

/**
 * Anything that went wrong talking to an upstream or checking its answer.
 * `reason` is a stable word for tests and logs; the message never holds a
 * code, token or secret.
 */
export class UpstreamError extends Error {
  override name = "UpstreamError";
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}
