// The routes the fuzz suite attacks, read from the app/ tree at test time so
// that a new route is fuzzed without anyone adding it to a list.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const appDir = path.join(root, "app");

/**
 * What a response must look like, by the part of the server a path belongs to:
 * - `oauth`: RFC 6749 §5.2 JSON errors (`{error, error_description?}`, application/json);
 * - `api`: the management API's error shape (lib/api/api-error.ts);
 * - `html`: a redirect or an HTML page (browser-facing protocol endpoints, pages);
 * - `next-auth`: next-auth's own mix of JSON, pages and redirects;
 * - `health`: JSON.
 */
export type ResponseKind = "oauth" | "api" | "html" | "next-auth" | "health";

export interface Route {
  /** The URL pattern, with the app tree's dynamic segments (`/api/v1/roles/[name]`). */
  pattern: string;
  /** The file under app/ the route comes from. */
  file: string;
  /** The HTTP methods the route answers (a page: GET). */
  methods: string[];
  kind: ResponseKind;
  /** Whether it is a page (server actions post to pages). */
  page: boolean;
}

/** First match wins; a path no rule covers fails the suite, so a new part of the server gets its shape decided here. */
const KIND_RULES: readonly [RegExp, ResponseKind][] = [
  [/^\/api\/v1(\/|$)/, "api"],
  [/^\/api\/health(\/|$)/, "health"],
  [/^\/api\/auth(\/|$)/, "next-auth"],
  // Browser-facing protocol endpoints answer a person: a redirect or an error page.
  [/^\/oauth2\/(authorize|end_session)(\/|$)/, "html"],
  [/^\/session\/redeem$/, "html"],
  // The device page's Allow / Deny: a redirect back to /device, or an error page.
  [/^\/device\/decision$/, "html"],
  // The audit log's CSV: the owner's download; anyone else is sent to sign in (a redirect).
  [/^\/dashboard\/audit\/export$/, "html"],
  // Sign-in connections: off to the upstream or back from it, a redirect or an error page.
  [/^\/signin\/connections\/[^/]+\/(start|callback)$/, "html"],
  [/^\/(oauth2|\.well-known)\//, "oauth"],
  // Unknown paths under /api: the management API's JSON not_found (lib/http/unknown-endpoint.ts).
  [/^\/api\//, "api"],
];

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** The methods a route.ts exports (`export const GET`, `export async function GET`, `export { handler as GET }`, `export const { GET } = …`). */
export function exportedMethods(source: string): string[] {
  return HTTP_METHODS.filter((method) =>
    new RegExp(
      `export\\s+(const|(async\\s+)?function)\\s+${method}\\b|export\\s*\\{[^}]*\\bas\\s+${method}\\b|export\\s+const\\s*\\{[^}]*\\b${method}\\b[^}]*\\}\\s*=`,
    ).test(source),
  );
}

export function kindOf(pattern: string, page: boolean): ResponseKind | undefined {
  if (page) return "html";
  return KIND_RULES.find(([rule]) => rule.test(pattern))?.[1];
}

/** The URL path of a folder under app/: route groups `(x)` leave no trace, private folders `_x` are not routes. */
function urlPathOf(dir: string): string | null {
  const parts = path.relative(appDir, dir).split(path.sep).filter(Boolean);
  if (parts.some((p) => p.startsWith("_") || p.startsWith("@"))) return null;
  return "/" + parts.filter((p) => !/^\(.*\)$/.test(p)).join("/");
}

/** Every route.ts and page.tsx under app/, with its methods and response kind (undefined kind: no rule yet). */
export function discoverRoutes(): (Omit<Route, "kind"> & { kind: ResponseKind | undefined })[] {
  const routes: (Omit<Route, "kind"> & { kind: ResponseKind | undefined })[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      const page = /^page\.(tsx|ts|jsx|js)$/.test(entry.name);
      if (!page && !/^route\.(ts|js)$/.test(entry.name)) continue;
      const pattern = urlPathOf(dir);
      if (pattern === null) continue;
      const methods = page ? ["GET"] : exportedMethods(readFileSync(full, "utf8"));
      routes.push({ pattern, file: path.relative(root, full), methods, page, kind: kindOf(pattern, page) });
    }
  };
  walk(appDir);
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** The dynamic segments of a pattern, in order (`[client_id]`, `[...nextauth]`). */
export function dynamicSegments(pattern: string): string[] {
  return pattern.split("/").filter((p) => /^\[.+\]$/.test(p));
}

/** A server action as the build lists it: its id and the page that serves it. */
export interface ServerAction {
  id: string;
  name: string;
  /** The page's pattern (`/dashboard/apps/[client_id]`). */
  pagePattern: string;
}

/**
 * The server actions of the build the e2e servers run (Next posts them to
 * their page with a `Next-Action` header naming the id). Reading the build
 * rather than the sources: the ids exist only there.
 */
export function serverActions(): ServerAction[] {
  const manifest = JSON.parse(readFileSync(path.join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string }>;
  };
  return Object.entries(manifest.node).flatMap(([id, entry]) =>
    Object.keys(entry.workers).map((worker) => ({
      id,
      name: entry.exportedName ?? id,
      // "app/(dashboard)/dashboard/apps/[client_id]/page" → "/dashboard/apps/[client_id]"
      pagePattern: urlPathOf(path.join(appDir, worker.replace(/^app\//, "").replace(/(^|\/)page$/, ""))) ?? "/",
    })),
  );
}
