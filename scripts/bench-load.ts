// The load generator of `npm run bench`, run by it as a separate process
// (fork, IPC): autocannon (pinned, installed by scripts/bench.ts into the
// same temporary folder as the peer, BENCH_TOOLS_DIR), driven the same way
// for our server and the peer. Each phase is one autocannon run of warm-up +
// measured time, so that rotating refresh chains and single-use codes are
// never cut between two runs; only responses to requests sent after the
// warm-up count. Latencies are taken from every response (autocannon's own
// histogram has 1 ms steps), percentiles exactly. It tells the parent when
// the measured part starts (so the server CPU time read then covers it) and
// sends back the count, requests/s, p50/p99 latency and the errors.
import { createRequire } from "node:module";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { dpopSigner } from "./bench-dpop";

export type PhaseRequest =
  /** The same request every time. */
  | { kind: "fixed"; method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string }
  /** Connection i always sends bodies[i % bodies.length] (one non-rotating refresh token per connection). */
  | { kind: "per-connection"; path: string; headers: Record<string, string>; bodies: string[] }
  /** Each body once (single-use authorization codes); the phase ends early when they run out. */
  | { kind: "each-once"; path: string; headers: Record<string, string>; bodies: string[] }
  /**
   * Rotating refresh tokens: one chain per connection, each request using the
   * refresh_token the previous response of that chain returned. `dpop`: each
   * request carries a fresh DPoP proof of its chain's key (keys[i], a private
   * JWK) for `htu` (the token endpoint's URL as the server sees it).
   */
  | { kind: "refresh-chains"; path: string; clientId: string; tokens: string[]; dpop?: { htu: string; keys: import("node:crypto").JsonWebKey[] } }
  /**
   * The bodies in turn over all connections, each sent again only after all
   * the others (pending device codes: a code polled again too soon would be
   * slow_down), every answer expected to be the OAuth error `expect`.
   */
  | { kind: "round-robin"; path: string; headers: Record<string, string>; bodies: string[]; expect: { status: number; error: string } };

export interface PhaseSpec {
  name: string;
  origin: string;
  /** Connections, each with one request in flight (refresh-chains: one per chain). */
  connections: number;
  warmupMs: number;
  durationMs: number;
  request: PhaseRequest;
}

export interface PhaseResult {
  name: string;
  /** Measured (after warm-up) responses, 2xx or not. */
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Unwanted responses (non-2xx, or not the expected error of a round-robin phase) and transport errors (timeouts, resets), warm-up included. */
  errors: number;
  errorSamples: string[];
  /** Why the phase ended before its duration, if it did. */
  note?: string;
}

export type LoadMessage = { type: "ready" } | { type: "measuring" } | { type: "result"; result: PhaseResult } | { type: "error"; message: string };

// The part of autocannon's API used here (it ships no types).
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
  onResponse?: (status: number, body: string) => void;
}
interface AutocannonClient {
  setRequests(requests: AutocannonRequest[]): void;
}
interface AutocannonOptions extends AutocannonRequest {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  sampleInt?: number;
  timeout?: number;
  requests?: AutocannonRequest[];
  setupClient?: (client: AutocannonClient) => void;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, responseTime: number) => void): void;
  stop(): void;
}
type Autocannon = (options: AutocannonOptions) => AutocannonInstance;

function loadAutocannon(): Autocannon {
  const toolsDir = process.env.BENCH_TOOLS_DIR;
  if (!toolsDir) throw new Error("BENCH_TOOLS_DIR is not set (scripts/bench.ts sets it)");
  return createRequire(path.join(toolsDir, "package.json"))("autocannon") as Autocannon;
}

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

export async function runPhase(autocannon: Autocannon, spec: PhaseSpec, onMeasuring: () => void): Promise<PhaseResult> {
  const { request } = spec;
  const connections = request.kind === "refresh-chains" ? request.tokens.length : spec.connections;
  const errorSamples: string[] = [];
  let bodyErrors = 0;
  const sample = (what: string) => {
    if (errorSamples.length < 5) errorSamples.push(what.slice(0, 300));
  };
  const expected = request.kind === "round-robin" ? request.expect : null;
  const wanted = (status: number) => (expected ? status === expected.status : status >= 200 && status <= 299);
  // Bodies of unwanted responses, where the phase looks at responses anyway.
  const onResponse = (status: number, body: string) => {
    if (!wanted(status)) sample(`${status} ${body}`);
    else if (expected && !body.includes(`"error":"${expected.error}"`)) {
      bodyErrors++;
      sample(`${status} ${body}`);
    }
  };

  const options: AutocannonOptions = {
    url: spec.origin,
    connections,
    duration: (spec.warmupMs + spec.durationMs) / 1000,
    // How often autocannon looks whether to stop: the end of a phase lags by at most this.
    sampleInt: 100,
    timeout: 30,
  };
  let note: string | undefined;
  let exhausted = false;
  if (request.kind === "fixed") {
    options.requests = [{ method: request.method, path: request.path, headers: request.headers ?? {}, ...(request.body === undefined ? {} : { body: request.body }) }];
  } else {
    let nextClient = 0;
    let nextBody = 0;
    const chains = request.kind === "refresh-chains" ? [...request.tokens] : [];
    const signers = request.kind === "refresh-chains" && request.dpop ? request.dpop.keys.map(dpopSigner) : [];
    options.method = "POST";
    options.path = request.path;
    if (request.kind === "each-once") {
      // Each connection stops after its share: every code is sent once, then the run ends.
      if (request.bodies.length < connections) throw new Error(`${spec.name}: ${request.bodies.length} codes for ${connections} connections`);
      options.amount = request.bodies.length;
    }
    options.setupClient = (client) => {
      const i = nextClient++;
      if (request.kind === "round-robin") {
        client.setRequests([
          {
            method: "POST",
            path: request.path,
            headers: request.headers,
            setupRequest: (r) => ({ ...r, body: request.bodies[nextBody++ % request.bodies.length]! }),
            onResponse,
          },
        ]);
      } else if (request.kind === "per-connection") {
        client.setRequests([{ method: "POST", path: request.path, headers: request.headers, body: request.bodies[i % request.bodies.length]! }]);
      } else if (request.kind === "each-once") {
        client.setRequests([
          {
            method: "POST",
            path: request.path,
            headers: request.headers,
            setupRequest: (r) => {
              const body = request.bodies[nextBody++];
              if (body === undefined) exhausted = true;
              return { ...r, body: body ?? "" };
            },
            onResponse,
          },
        ]);
      } else {
        client.setRequests([
          {
            method: "POST",
            path: request.path,
            headers: FORM,
            setupRequest: (r) => ({
              ...r,
              ...(request.dpop ? { headers: { ...FORM, DPoP: signers[i]!("POST", request.dpop.htu) } } : {}),
              body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: chains[i]!, client_id: request.clientId }).toString(),
            }),
            onResponse: (status, body) => {
              onResponse(status, body);
              if (status !== 200) return; // a refused chain is not retried (that would be a replay)
              const next = (JSON.parse(body) as { refresh_token?: string }).refresh_token;
              if (next) chains[i] = next;
              else {
                bodyErrors++;
                sample("no refresh_token in the response");
              }
            },
          },
        ]);
      }
    };
  }

  const latencies: number[] = [];
  let measureFrom = Infinity;
  let lastEnd = 0;
  let statusErrors = 0;
  const instance = autocannon(options);
  const started = performance.now();
  measureFrom = started + spec.warmupMs;
  const warmupTimer = setTimeout(onMeasuring, spec.warmupMs);
  // With `amount` autocannon ignores `duration`: stop it at the end of the phase.
  const stopTimer = options.amount ? setTimeout(() => instance.stop(), spec.warmupMs + spec.durationMs) : undefined;
  instance.on("response", (_client, status, _bytes, responseTime) => {
    const end = performance.now();
    if (!wanted(status)) statusErrors++;
    if (end - responseTime >= measureFrom) {
      latencies.push(responseTime);
      lastEnd = end;
    }
  });
  const result = await instance;
  clearTimeout(warmupTimer);
  clearTimeout(stopTimer);
  const finished = performance.now();
  if (finished < measureFrom) onMeasuring(); // ended during the warm-up: the parent still waits for it
  if (exhausted || (options.amount && finished - started < spec.warmupMs + spec.durationMs - 200)) {
    note = `all ${options.amount} codes used after ${((finished - started) / 1000).toFixed(1)} s (warm-up included)`;
  }
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    if (!wanted(Number(status))) sample(`${count} × HTTP ${status}`);
  }
  if (result.errors) sample(`${result.errors} transport errors (${result.timeouts} timeouts)`);

  latencies.sort((a, b) => a - b);
  const pct = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! : NaN);
  const seconds = (lastEnd - measureFrom) / 1000;
  return {
    name: spec.name,
    requests: latencies.length,
    rps: seconds > 0 ? latencies.length / seconds : 0,
    p50: pct(0.5),
    p99: pct(0.99),
    errors: statusErrors + bodyErrors + result.errors,
    errorSamples,
    ...(note ? { note } : {}),
  };
}

// As a forked child: run each phase the parent sends, one at a time.
if (process.send) {
  const send = (message: LoadMessage) => process.send!(message);
  let autocannon: Autocannon;
  try {
    autocannon = loadAutocannon();
  } catch (error) {
    send({ type: "error", message: (error as Error).message });
    process.exit(1);
  }
  process.on("message", (message: { type: "run"; spec: PhaseSpec } | { type: "exit" }) => {
    if (message.type === "exit") {
      process.disconnect();
      return;
    }
    runPhase(autocannon, message.spec, () => send({ type: "measuring" })).then(
      (result) => send({ type: "result", result }),
      (error: unknown) => send({ type: "error", message: (error as Error).stack ?? String(error) }),
    );
  });
  send({ type: "ready" });
}
