import type { IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "./security-headers";

/**
 * Whether a request's path has percent-encoding that does not decode to
 * UTF-8 text (`/api/v1/roles/%`, `%zz`, `%ED%A0%80`, an encoded surrogate):
 * no route can name such a thing, and Next answers it with a 500 before any
 * route code runs.
 */
export function hasMalformedPath(url: string): boolean {
  const query = url.indexOf("?");
  try {
    decodeURIComponent(query < 0 ? url : url.slice(0, query));
    return false;
  } catch {
    return true;
  }
}

const API_PATH = /^\/(api|oauth2|\.well-known)(\/|$)/;

/**
 * Answers a request with a malformed path with a 400 in the shape its part
 * of the server speaks (RFC 6749 JSON for the protocol and the APIs, a short
 * page otherwise) and says true; leaves any other request alone.
 */
export function refuseMalformedPath(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "/";
  if (!hasMalformedPath(url)) return false;
  const description = "The request path is not valid percent-encoded UTF-8";
  const json = API_PATH.test(url);
  const body = json
    ? JSON.stringify({ error: "invalid_request", error_description: description })
    : `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad request</title></head><body><h1>Bad request</h1><p>${description}.</p></body></html>`;
  res.writeHead(400, {
    ...SECURITY_HEADERS,
    "content-type": json ? "application/json" : "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-length": String(Buffer.byteLength(body)),
  });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
