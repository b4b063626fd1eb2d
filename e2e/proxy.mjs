// The load balancer of the multi-instance e2e suite: a small reverse proxy
// on 127.0.0.1 that sends each request to the next instance in turn, as a
// load balancer without sticky sessions does, so consecutive requests of one
// client land on different instances. It behaves like the proxy the README
// asks for with TRUST_PROXY=1: it passes Host through and appends the
// address it saw to X-Forwarded-For, as nginx's $proxy_add_x_forwarded_for
// and cloud load balancers do, keeping whatever the client sent in front
// (the server takes the last entry, so that cannot pick a rate-limit bucket).
import http from "node:http";
import { UPSTREAM_HEADER } from "./servers.mjs";

// RFC 9110 §7.6.1: these describe one connection and are not forwarded.
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "x-forwarded-for"];

function forwardable(headers) {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

/**
 * Listens on 127.0.0.1:`port` and spreads requests round-robin over the
 * `upstreams` (ports on 127.0.0.1), choosing per request, not per client
 * connection. Resolves with the server once it listens.
 */
export function startRoundRobinProxy(port, upstreams) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  let turn = 0;
  const server = http.createServer((req, res) => {
    const upstream = upstreams[turn++ % upstreams.length];
    const sent = req.headers["x-forwarded-for"];
    const seen = req.socket.remoteAddress ?? "unknown";
    const headers = { ...forwardable(req.headers), "x-forwarded-for": sent ? `${sent}, ${seen}` : seen, "x-forwarded-proto": "http" };
    const forward = http.request({ host: "127.0.0.1", port: upstream, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...forwardable(answer.headers), [UPSTREAM_HEADER]: String(upstream) });
      answer.pipe(res);
    });
    forward.on("error", (error) => {
      if (res.headersSent) return void res.destroy(error);
      res.writeHead(502, { "content-type": "text/plain", [UPSTREAM_HEADER]: String(upstream) });
      res.end(`e2e proxy: instance on port ${upstream} failed: ${error.message}\n`);
    });
    req.pipe(forward);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
