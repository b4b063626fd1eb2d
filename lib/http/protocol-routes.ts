import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_FORM_BYTES } from "../oauth/params";
import { sendDocument, sendWebResponse, toWebRequest, type DocumentHandler, type WebHandler } from "./node-bridge";

/**
 * The protocol endpoints the production server (server.ts) dispatches
 * straight to their route handlers, without Next's per-request pipeline:
 * what clients and resource servers call on every request. Each path's
 * route file is app/<path>/route.ts; every other path is Next's.
 */
export const PROTOCOL_PATHS = [
  "/oauth2/token",
  "/oauth2/device_authorization",
  "/oauth2/par",
  "/oauth2/introspect",
  "/oauth2/revoke",
  "/oauth2/userinfo",
  "/.well-known/openid-configuration",
  "/.well-known/oauth-authorization-server",
  "/.well-known/jwks.json",
  "/.well-known/oauth-protected-resource",
] as const;

export type RouteHandlers = Partial<Record<string, WebHandler | DocumentHandler>>;

/**
 * The fast path: given each protocol path's handlers (by HTTP method),
 * returns a function that serves a request and says true, or leaves it alone
 * and says false (another path, or a method the route does not export: Next
 * answers those as it always does). HEAD is GET without the body. A public
 * document's bytes are written as they are: building a Request and a
 * Response costs more than the rest of such a request (docs/decisions.md).
 */
export function protocolDispatcher(routes: ReadonlyMap<string, RouteHandlers>) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const handlers = routes.get(query < 0 ? url : url.slice(0, query));
    if (!handlers) return false;
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    if (!handler) return false;
    if (isDocumentHandler(handler)) void serveDocument(handler, req, res);
    else void serve(handler, req, res);
    return true;
  };
}

function isDocumentHandler(handler: WebHandler): handler is DocumentHandler {
  return typeof (handler as Partial<DocumentHandler>).document === "function";
}

async function serveDocument(handler: DocumentHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let document;
  try {
    document = await handler.document();
  } catch {
    // The handler answers the failure in its RFC shape.
    return serve(handler, req, res);
  }
  sendDocument(res, document, { head: req.method === "HEAD" });
}

async function serve(handler: WebHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const converted = await toWebRequest(req, MAX_FORM_BYTES);
    if (!converted) {
      res.writeHead(400, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify({ error: "invalid_request", error_description: "The request headers are malformed" }));
      return;
    }
    const response = await handler(converted.request);
    await sendWebResponse(res, response, { head: req.method === "HEAD", close: converted.truncated });
  } catch (error) {
    // Handlers turn their own failures into OAuth errors; this is a bug or a broken connection.
    console.error(`protocol fast path: ${req.method} ${req.url}: ${(error as Error).message}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "server_error" }));
  }
}
