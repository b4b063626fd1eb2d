// The production server (`npm start`): Next's request handler for every page
// and API route, except the protocol endpoints clients call on every request
// (lib/http/protocol-routes.ts), which go straight to the same route handlers
// Next would run, without its per-request pipeline (docs/decisions.md, "A
// lean HTTP path"). PROTOCOL_FAST_PATH=off sends everything through Next.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import next from "next";
import { ConfigError, describeListen, parseConfig, type ListenAddress } from "./lib/config";
import { refuseMalformedPath } from "./lib/http/malformed-path";
import { PROTOCOL_PATHS, protocolDispatcher, type RouteHandlers } from "./lib/http/protocol-routes";
import { dropRscFromFormPost, screenServerAction } from "./lib/http/server-action-guard";
import { runShutdownTasks } from "./lib/shutdown";

const root = import.meta.dirname;

/** PORT and HOSTNAME as the configuration reads them (the same check refuses a bad PORT at start-up). */
function listenConfig(): ListenAddress {
  try {
    return parseConfig(process.env).listen;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`connected-apps: cannot start: ${error.message}`);
    process.exit(1);
  }
}

const { port, hostname } = listenConfig();
const fastPath = process.env.PROTOCOL_FAST_PATH !== "off";

interface BuiltRouteModule {
  routeModule?: { ensureUserland?(): Promise<void>; userland: RouteHandlers };
}

/**
 * The handlers of the built protocol routes, from the build Next serves
 * (the same module instances: one set of caches and one database per
 * process). Loading them through Next's route module is the one coupling to
 * Next internals; a build without it starts without the fast path.
 */
async function loadProtocolRoutes(): Promise<Map<string, RouteHandlers> | null> {
  const require = createRequire(import.meta.url);
  const routes = new Map<string, RouteHandlers>();
  for (const route of PROTOCOL_PATHS) {
    const file = path.join(root, ".next", "server", "app", ...route.split("/"), "route.js");
    const { routeModule } = require(file) as BuiltRouteModule;
    if (typeof routeModule?.ensureUserland !== "function") {
      console.warn(`connected-apps: ${route} cannot be served directly by this Next version; serving every path through Next`);
      return null;
    }
    await routeModule.ensureUserland();
    routes.set(route, routeModule.userland);
  }
  return routes;
}

/** Start-up (migrations, signing keys, owner bootstrap) before the first request, as Next's instrumentation hook would run it. */
async function runStartup(): Promise<void> {
  const require = createRequire(import.meta.url);
  const instrumentation = require(path.join(root, ".next", "server", "instrumentation.js")) as { register?: () => Promise<void> };
  await instrumentation.register?.();
}

const app = next({ dev: false, dir: root, port, ...(hostname ? { hostname } : {}) });
const handle = app.getRequestHandler();
await app.prepare();
await runStartup();
const routes = fastPath ? await loadProtocolRoutes() : null;
const dispatch = routes ? protocolDispatcher(routes) : () => false;

const server = createServer((req, res) => {
  // Next answers a path it cannot decode with a 500 before any route runs (docs/decisions.md).
  if (refuseMalformedPath(req, res)) return;
  if (dispatch(req, res)) return;
  // Next answers these page POSTs with a 500: RSC on a form post, a cross-origin or undecodable server action (docs/decisions.md, "Hardening").
  dropRscFromFormPost(req);
  void screenServerAction(req, res).then(
    (answered) => {
      if (!answered) void handle(req, res);
    },
    () => res.destroy(),
  );
});
server.listen(port, hostname, () => {
  console.log(`connected-apps: listening on ${describeListen({ port, hostname })}${routes ? ` (protocol fast path: ${routes.size} endpoints)` : " (every path through Next)"}`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    // The activity counted since the last flush is written before the exit (lib/activity/counter.ts).
    const exit = () => void runShutdownTasks().finally(() => process.exit(0));
    server.close(exit);
    server.closeIdleConnections();
    setTimeout(exit, 5_000).unref();
  });
}
