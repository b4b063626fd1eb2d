import type { IncomingMessage, ServerResponse } from "node:http";
import type { PublicDocument } from "../oauth/well-known";
import { SECURITY_HEADERS } from "./security-headers";

/** A route handler as the route files export it. */
export type WebHandler = (request: Request) => Response | Promise<Response>;

/** A GET handler that can also give its (request-independent) document as bytes. */
export type DocumentHandler = WebHandler & { document(): Promise<PublicDocument> };

/**
 * A Node request as a Fetch API Request, for the route handlers. The body is
 * read up front, at most `bodyLimit + 1` bytes: enough for the handler's own
 * size check to refuse an oversize body the way it would under Next, without
 * ever holding more. Returns null for a request that cannot be represented
 * (a header value Fetch refuses).
 */
export async function toWebRequest(req: IncomingMessage, bodyLimit: number): Promise<{ request: Request; truncated: boolean } | null> {
  const headers = new Headers();
  try {
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  } catch {
    return null;
  }
  const url = requestUrl(req);
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return { request: new Request(url, { method, headers }), truncated: false };
  const { body, truncated } = await readBody(req, bodyLimit + 1);
  return { request: new Request(url, { method, headers, body: new Uint8Array(body) }), truncated };
}

function requestUrl(req: IncomingMessage): string {
  const path = req.url ?? "/";
  try {
    return new URL(path, `http://${req.headers.host ?? "localhost"}`).href;
  } catch {
    return new URL(path.startsWith("/") ? path : "/", "http://localhost").href;
  }
}

function readBody(req: IncomingMessage, max: number): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (truncated: boolean) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", reject);
      const body = Buffer.concat(chunks);
      resolve({ body: truncated ? body.subarray(0, max) : body, truncated });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // Stop reading: the handler refuses the body anyway, and the connection is closed after the response.
      if (size >= max) {
        req.pause();
        done(true);
      }
    };
    const onEnd = () => done(false);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

/**
 * Writes a handler's Response, with the headers every response of the
 * server carries (next.config.ts gives Next's the same). `close` ends the
 * connection after it (a body left unread).
 */
export async function sendWebResponse(res: ServerResponse, response: Response, options: { head?: boolean; close?: boolean } = {}): Promise<void> {
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  const headers: Record<string, string | string[]> = { ...SECURITY_HEADERS };
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  if (body) headers["content-length"] = String(body.length);
  if (options.close) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.end(options.head ? undefined : (body ?? undefined));
}

// A document's headers as written, built once per document.
const documentHeaders = new WeakMap<PublicDocument, Record<string, string>>();

/** Writes a public document's bytes: the same status, headers and body as its Response through sendWebResponse. */
export function sendDocument(res: ServerResponse, document: PublicDocument, options: { head?: boolean } = {}): void {
  let headers = documentHeaders.get(document);
  if (!headers) {
    headers = { ...SECURITY_HEADERS, ...lowerCased(document.headers), "content-length": String(document.bytes.length) };
    documentHeaders.set(document, headers);
  }
  res.writeHead(200, headers);
  res.end(options.head ? undefined : document.bytes);
}

function lowerCased(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
