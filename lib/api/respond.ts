/** Management API responses hold app settings and, once, secrets: never cached (RFC 9111 §5.2.2.5). */
const NO_STORE = { "Cache-Control": "no-store" } as const;

/** A JSON response with `Cache-Control: no-store`. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** 204 No Content (e.g. after DELETE). */
export function noContent(): Response {
  return new Response(null, { status: 204, headers: NO_STORE });
}
