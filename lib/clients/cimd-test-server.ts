import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * Tests only: an https server on 127.0.0.1 with a self-signed certificate
 * for 127.0.0.1/localhost (testdata/, test-only key), serving metadata
 * documents from routes the test sets.
 */
const dir = path.join(import.meta.dirname, "testdata");
export const TEST_CA = readFileSync(path.join(dir, "cimd-test-localhost.crt"));
const TEST_KEY = readFileSync(path.join(dir, "cimd-test-localhost.key"));

export type Route = (request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse) => void;

export interface TestDocumentServer {
  origin: string;
  routes: Map<string, Route>;
  hits: Map<string, number>;
  /** Serves `body` as JSON at `path` (with optional headers). */
  json(path: string, body: unknown, headers?: Record<string, string>): string;
  close(): Promise<void>;
}

export async function startTestDocumentServer(): Promise<TestDocumentServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const server = https.createServer({ cert: TEST_CA, key: TEST_KEY }, (request, response) => {
    const route = routes.get(request.url ?? "");
    hits.set(request.url ?? "", (hits.get(request.url ?? "") ?? 0) + 1);
    if (route) route(request, response);
    else response.writeHead(404, { "Content-Type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    routes,
    hits,
    json(p, body, headers = {}) {
      routes.set(p, (_req, res) => res.writeHead(200, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body)));
      return `${origin}${p}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
