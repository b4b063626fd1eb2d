// Sends a fuzzed request as it was generated: node:http writes the path and
// header values as latin1 bytes without re-encoding them (fetch and URL
// would normalise exactly what the fuzzer is trying to get through).
import { Agent, request as httpRequest } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

export interface FuzzRequest {
  method: string;
  /** Path and query, sent byte for byte (printable ASCII: Node refuses other bytes before any app code runs). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Longer than any honest answer on this machine: a server that stops answering is a crash. */
const TIMEOUT_MS = 20_000;
/** Enough to check a body's shape; a page is a few tens of KB. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * Sends the request; retried once when the connection drops before any
 * answer (a kept-alive socket the server had just closed). A server that
 * really went down fails the health check that follows each batch.
 */
export async function send(baseURL: string, req: FuzzRequest): Promise<FuzzResponse> {
  try {
    return await sendOnce(baseURL, req);
  } catch (error) {
    if (!["ECONNRESET", "EPIPE"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    return sendOnce(baseURL, req);
  }
}

function sendOnce(baseURL: string, req: FuzzRequest): Promise<FuzzResponse> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = httpRequest(
      {
        hostname,
        port,
        method: req.method,
        path: req.path,
        // node:http frames a GET's or DELETE's body with neither header: the server would read it as the next request.
        headers: req.body ? { ...req.headers, "content-length": String(req.body.length) } : req.headers,
        agent,
        timeout: TIMEOUT_MS,
        // A redirect may repeat a long request target in Location and Refresh: more than Node's default 16 KiB.
        maxHeaderSize: 256 * 1024,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        // "close" also ends an answer cut short; resolving twice is harmless.
        const finish = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: decoded(res.headers["content-encoding"], Buffer.concat(chunks)) });
        res.on("end", finish);
        res.on("close", finish);
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    // A server may answer (413) before reading a large body and close: the answer counts, the broken write does not.
    outgoing.on("error", (error) => {
      if (!answered) reject(error);
    });
    outgoing.end(req.body);
  });
}

/** The body as sent before compression (the fuzzer asks for gzip and br); as is when it does not decompress. */
function decoded(encoding: string | undefined, body: Buffer): Buffer {
  try {
    if (encoding === "gzip") return gunzipSync(body);
    if (encoding === "br") return brotliDecompressSync(body);
    if (encoding === "deflate") return inflateSync(body);
  } catch {
    // A body cut short at MAX_BODY_BYTES: its shape is checked on what there is.
  }
  return body;
}

/** A one-line description of a request for failure messages (bodies cut short). */
export function describe(req: FuzzRequest): string {
  const body = req.body ? ` body(${req.body.length} B)=${JSON.stringify(req.body.subarray(0, 300).toString("latin1"))}` : "";
  return `${req.method} ${JSON.stringify(req.path.slice(0, 500))} headers=${JSON.stringify(req.headers).slice(0, 600)}${body}`;
}
