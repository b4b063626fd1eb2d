// The load generator of `npm run bench`, run by it as a separate process
// (fork, IPC): for each phase it gets, it keeps `connections` requests in
// flight over keep-alive connections, discards the warm-up, and sends back
// the count, requests/s, p50/p99 latency and the errors.
import http from "node:http";
import { performance } from "node:perf_hooks";

export type PhaseRequest =
  /** The same request every time. */
  | { kind: "fixed"; method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string }
  /** Connection i always sends bodies[i % bodies.length] (one non-rotating refresh token per connection). */
  | { kind: "per-connection"; path: string; headers: Record<string, string>; bodies: string[] }
  /** Each body once (single-use authorization codes); the phase ends early when they run out. */
  | { kind: "each-once"; path: string; headers: Record<string, string>; bodies: string[] }
  /**
   * Rotating refresh tokens: one chain per connection, each request using the
   * refresh_token the previous response of that chain returned.
   */
  | { kind: "refresh-chains"; path: string; clientId: string; tokens: string[] };

export interface PhaseSpec {
  name: string;
  origin: string;
  /** Requests in flight (ignored for refresh-chains: one per chain). */
  connections: number;
  warmupMs: number;
  durationMs: number;
  request: PhaseRequest;
}

export interface PhaseResult {
  name: string;
  /** Measured (after warm-up) requests that succeeded or failed. */
  requests: number;
  rps: number;
  /** Every completed request, warm-up included (the server's CPU time is divided by it). */
  total: number;
  p50: number;
  p99: number;
  /** Non-2xx responses and transport errors, warm-up included. */
  errors: number;
  errorSamples: string[];
  /** Why the phase ended before its duration, if it did. */
  note?: string;
}

type Outcome = { status: number; body: string };

function send(agent: http.Agent, origin: URL, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: origin.hostname,
        port: origin.port,
        method,
        path,
        headers: body === undefined ? headers : { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

export async function runPhase(spec: PhaseSpec): Promise<PhaseResult> {
  const { request } = spec;
  const connections = request.kind === "refresh-chains" ? request.tokens.length : spec.connections;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const origin = new URL(spec.origin);
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let total = 0;
  let note: string | undefined;
  let nextBody = 0;
  const chains = request.kind === "refresh-chains" ? [...request.tokens] : [];

  const started = performance.now();
  const measureFrom = started + spec.warmupMs;
  const stopAt = measureFrom + spec.durationMs;
  let lastEnd = measureFrom;

  const fail = (what: string) => {
    errors++;
    if (errorSamples.length < 5) errorSamples.push(what.slice(0, 300));
  };

  async function loop(i: number): Promise<void> {
    while (performance.now() < stopAt) {
      let method = "POST";
      let path: string;
      let headers: Record<string, string>;
      let body: string | undefined;
      if (request.kind === "fixed") {
        ({ method, path } = request);
        headers = request.headers ?? {};
        body = request.body;
      } else if (request.kind === "per-connection") {
        ({ path, headers } = request);
        body = request.bodies[i % request.bodies.length];
      } else if (request.kind === "each-once") {
        if (nextBody >= request.bodies.length) {
          note = `all ${request.bodies.length} codes used`;
          return;
        }
        ({ path, headers } = request);
        body = request.bodies[nextBody++];
      } else {
        path = request.path;
        headers = FORM;
        body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: chains[i]!, client_id: request.clientId }).toString();
      }
      const t = performance.now();
      let outcome: Outcome;
      try {
        outcome = await send(agent, origin, method, path, headers, body);
      } catch (error) {
        fail(`transport: ${(error as Error).message}`);
        continue;
      }
      const end = performance.now();
      total++;
      if (t >= measureFrom) {
        latencies.push(end - t);
        lastEnd = Math.max(lastEnd, end);
      }
      if (outcome.status < 200 || outcome.status > 299) {
        fail(`${outcome.status} ${outcome.body}`);
        // A chain whose token was refused cannot go on (a retry would be a replay).
        if (request.kind === "refresh-chains") return;
        continue;
      }
      if (request.kind === "refresh-chains") {
        const next = (JSON.parse(outcome.body) as { refresh_token?: string }).refresh_token;
        if (!next) {
          fail("no refresh_token in the response");
          return;
        }
        chains[i] = next;
      }
    }
  }

  await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! : NaN);
  const seconds = (lastEnd - measureFrom) / 1000;
  return {
    name: spec.name,
    requests: latencies.length,
    rps: seconds > 0 ? latencies.length / seconds : 0,
    total,
    p50: pct(0.5),
    p99: pct(0.99),
    errors,
    errorSamples,
    ...(note ? { note } : {}),
  };
}

// As a forked child: run each phase the parent sends, one at a time.
if (process.send) {
  process.on("message", (message: { type: "run"; spec: PhaseSpec } | { type: "exit" }) => {
    if (message.type === "exit") {
      process.disconnect();
      return;
    }
    runPhase(message.spec).then(
      (result) => process.send!({ type: "result", result }),
      (error: unknown) => process.send!({ type: "error", message: (error as Error).stack ?? String(error) }),
    );
  });
  process.send({ type: "ready" });
}
