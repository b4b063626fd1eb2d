/**
 * Headers on every response of the server: no page of the identity provider
 * may be framed (clickjacking on the consent and sign-in pages), no referrer
 * leaks codes or state, no content sniffing. next.config.ts applies them to
 * what Next serves; the protocol fast path (server.ts) to what it serves.
 */
export const SECURITY_HEADERS = {
  "Content-Security-Policy": "frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
} as const;
