// POSTs to pages are Next's to run (server actions), but Next answers some
// hostile ones with a 500: an action from another origin (its CSRF check),
// one whose body it cannot decode, a form post with an RSC header. The
// production server (server.ts) deals with those first.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "./security-headers";

/**
 * Where the route handlers live: every path under /api, /oauth2 and
 * /.well-known is one's (catch-all routes answer the unknown ones,
 * lib/http/unknown-endpoint.ts), /session/redeem, the device page's
 * decision and a sign-in connection's start and callback; every other path is a page, where Next runs server
 * actions.
 */
export const ROUTE_HANDLER_PATH = /^\/((api|oauth2|\.well-known)(\/|$)|session\/redeem$|device\/decision$|dashboard\/audit\/export$|signin\/connections\/[^/]+\/(start|callback)$)/;

/** The path as routing sees it: `.` and `..` segments resolved, `%2E` spellings included (WHATWG URL). */
function routedPath(url: string): string {
  try {
    return new URL(url, "http://localhost").pathname;
  } catch {
    return url;
  }
}

const isRouteHandlerPath = (url: string) => ROUTE_HANDLER_PATH.test(routedPath(url));

/**
 * Whether Next would take a request for a server action: a POST to a page
 * with a `Next-Action` header (a fetch action) or a multipart form (a form
 * posted without JavaScript). URL-encoded posts are never actions.
 */
export function mayBeServerAction(method: string | undefined, url: string, headers: IncomingHttpHeaders): boolean {
  if (method !== "POST" || isRouteHandlerPath(url)) return false;
  return headers["next-action"] !== undefined || /^multipart\/form-data/i.test(headers["content-type"] ?? "");
}

/**
 * Next's CSRF check for server actions, as it makes it
 * (next/dist/server/app-render/action-handler.js): the Origin's host must be
 * the first X-Forwarded-Host, else the Host; no Origin passes. This project
 * sets no `serverActions.allowedOrigins`.
 */
export function hasForeignOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (typeof origin !== "string") return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return true;
  }
  const forwarded = headers["x-forwarded-host"];
  const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(",")[0]?.trim()) || headers.host;
  return !host || originHost !== host;
}

/**
 * Next (16.4) fails an invariant ("Expected RSC response, got text/html")
 * with a 500 when a URL-encoded POST to a path without a page carries
 * `RSC: 1`. Its client never sends that (actions are text/plain or
 * multipart, navigations are GETs), so the header is dropped: the POST is
 * answered like one from a plain form.
 */
export function dropRscFromFormPost(req: IncomingMessage): void {
  if (req.method !== "POST" || isRouteHandlerPath(req.url ?? "/") || req.headers.rsc === undefined) return;
  if (/^application\/x-www-form-urlencoded/i.test(req.headers["content-type"] ?? "")) delete req.headers.rsc;
}

/** Next's default `serverActions.bodySizeLimit` (next.config.ts sets none). */
export const MAX_ACTION_BODY_BYTES = 1024 * 1024;

/**
 * Whether Next can decode an action's body: a multipart form must parse
 * (with the Fetch API's parser, which Next uses for a form posted without
 * JavaScript; it is a little stricter than busboy, which Next uses for fetch
 * actions: a browser's boundaries pass both), any other body is React's reply
 * encoding of the arguments, JSON text (read as Next reads it, invalid UTF-8
 * replaced).
 */
export async function isDecodableActionBody(contentType: string | undefined, body: Buffer): Promise<boolean> {
  try {
    if (!/^multipart\/form-data/i.test(contentType ?? "")) {
      const text = body.toString("utf8");
      JSON.parse(text);
      return nestingDepth(text) <= MAX_ACTION_NESTING;
    }
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType! } }).formData();
    // React's model rows are the fields named by a number; the others are form values (user text) as typed.
    return [...form.entries()].every(([name, value]) => !/^\d+$/.test(name) || typeof value !== "string" || nestingDepth(value) <= MAX_ACTION_NESTING);
  } catch {
    return false;
  }
}

/** React decodes an action's arguments recursively: a few thousand levels overflow the stack (a 500); the dashboard's arguments are a few deep. */
export const MAX_ACTION_NESTING = 64;

/** How deep JSON text nests its arrays and objects (brackets inside strings do not count). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") max = Math.max(max, ++depth);
    else if (c === "]" || c === "}") depth--;
  }
  return max;
}

/** Where Next reads a request's metadata; `actionBody` there is used instead of the request stream (action-handler.js). */
const NEXT_REQUEST_META = Symbol.for("NextInternalRequestMeta");

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Screens what Next would take for a server action and says true when it
 * has answered: another origin is a 403 (Next's CSRF check answers 500, and
 * a malformed Origin makes it throw), a body over Next's limit a 413, a body
 * Next cannot decode a 400 (Next: 500). A body that passes is handed to Next
 * already read, the way Next itself passes a body it has read.
 */
export async function screenServerAction(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (!mayBeServerAction(req.method, req.url ?? "/", req.headers)) return false;
  if (hasForeignOrigin(req.headers)) return refuse(res, 403, "Forbidden", "This form was sent from another site.");
  const body = await readBody(req, MAX_ACTION_BODY_BYTES);
  if (!body) return refuse(res, 413, "Payload too large", "This form is too large.");
  if (!(await isDecodableActionBody(req.headers["content-type"], body))) return refuse(res, 400, "Bad request", "This form was not sent correctly.");
  const holder = req as unknown as Record<symbol, Record<string, unknown> | undefined>;
  holder[NEXT_REQUEST_META] = { ...holder[NEXT_REQUEST_META], actionBody: body };
  return false;
}

function refuse(res: ServerResponse, status: number, title: string, message: string): true {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p></body></html>`;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-length": String(Buffer.byteLength(body)),
    // The body may be left unread: the connection cannot be reused.
    connection: "close",
  });
  res.end(body);
  return true;
}
