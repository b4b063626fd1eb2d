import { CimdError } from "./cimd-errors";
import { lookup as dnsLookup } from "node:dns/promises";
import https from "node:https";
import type { LookupAddress } from "node:dns";
import { addressProblem } from "./cimd-address";

/** draft-ietf-oauth-client-id-metadata-document: servers should cap documents at 5 KB. */
export const MAX_DOCUMENT_BYTES = 5 * 1024;

/** Why a metadata document could not be fetched; each has its own code and a readable message. */
export type CimdFetchErrorCode =
  | "invalid_url"
  | "dns_failed"
  | "address_refused"
  | "redirect"
  | "http_status"
  | "not_json"
  | "too_large"
  | "invalid_json"
  | "timeout"
  | "network";

/** What a fetch failure says to whoever sent the client_id (issue 13: not a DNS, port or TLS oracle). */
export const CIMD_FETCH_FAILED = `The metadata document could not be fetched from the client_id URL, or its answer was not a JSON document of at most ${MAX_DOCUMENT_BYTES} bytes`;

export class CimdFetchError extends CimdError {
  override name = "CimdFetchError";
  constructor(readonly code: CimdFetchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
  /**
   * One reason for every way the fetch failed: which (no address, a private
   * address, refused, TLS, a status, a timeout) would tell anyone what lies
   * behind a host name. The details go to the server log and the owner.
   */
  override get publicMessage(): string {
    return this.code === "invalid_url" ? this.message : CIMD_FETCH_FAILED;
  }
}

export interface CimdFetchOptions {
  timeoutMs: number;
  /** Development and tests only (CIMD_ALLOW_LOOPBACK). */
  allowLoopback: boolean;
  /** Extra trusted CA certificates (tests serve documents with a self-signed certificate). */
  ca?: string | Buffer;
  /** DNS resolution, replaceable in tests; returns every address of the host. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export interface FetchedDocument {
  /** The parsed JSON (not yet validated). */
  body: unknown;
  /** The response's Cache-Control max-age in seconds (0 for no-store/no-cache), null when absent. */
  maxAgeSeconds: number | null;
}

/**
 * Why a client_id cannot be a metadata document URL, or null when it can:
 * an https URL with a path other than "/", no fragment, no user name or
 * password, no dot segments, spelled canonically (so one client has one id).
 */
export function cimdUrlProblem(clientId: string): string | null {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "https:") return "must be an https URL";
  if (clientId.includes("#")) return "must not contain a fragment";
  if (url.username || url.password) return "must not contain a user name or password";
  const rawPath = clientId.slice(url.origin.length).split("?")[0]!;
  if (rawPath.split("/").some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) return "must not contain . or .. path segments";
  // An https URL's pathname is never empty (WHATWG URL: special schemes always have a path).
  if (url.pathname === "/") return "must have a path (not just /)";
  if (url.href !== clientId) return `must be written in canonical form (${url.href})`;
  return null;
}

/** Whether a client_id looks like a metadata document URL at all (cheap; ordinary ids start with `ca_`). */
export function looksLikeCimdClientId(clientId: string): boolean {
  return clientId.startsWith("https://");
}

const defaultResolve = (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true });

function cacheMaxAge(header: string | undefined): number | null {
  if (!header) return null;
  const directives = header.toLowerCase().split(",").map((d) => d.trim());
  if (directives.some((d) => d === "no-store" || d === "no-cache")) return 0;
  for (const d of directives) {
    const m = /^max-age="?(\d{1,10})"?$/.exec(d);
    if (m) return Number(m[1]);
  }
  return null;
}

function isJsonContentType(header: string | undefined): boolean {
  const type = (header ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type);
}

/**
 * Resolves the host and checks every address it has; returns the one to
 * connect to. Refusing if any address is special-use closes the gap of a
 * name that resolves to both a public and a private address.
 */
async function checkedAddress(hostname: string, options: CimdFetchOptions): Promise<LookupAddress> {
  const literal = hostname.replace(/^\[|\]$/g, "");
  let addresses: LookupAddress[];
  try {
    addresses = await (options.resolve ?? defaultResolve)(literal);
  } catch (error) {
    throw new CimdFetchError("dns_failed", `The host ${hostname} could not be resolved`, { cause: error });
  }
  if (!addresses.length) throw new CimdFetchError("dns_failed", `The host ${hostname} has no addresses`);
  for (const a of addresses) {
    const problem = addressProblem(a.address, { allowLoopback: options.allowLoopback });
    if (problem) throw new CimdFetchError("address_refused", `The host ${hostname} resolves to a refused address: ${problem}`);
  }
  return addresses[0]!;
}

/**
 * Fetches a client ID metadata document (draft-ietf-oauth-client-id-metadata-document §4)
 * with fetchPublicJson, at most 5 KB.
 */
export async function fetchMetadataDocument(clientId: string, options: CimdFetchOptions): Promise<FetchedDocument> {
  const problem = cimdUrlProblem(clientId);
  if (problem) throw new CimdFetchError("invalid_url", `The client_id ${problem}`);
  return fetchPublicJson(new URL(clientId), options, { maxBytes: MAX_DOCUMENT_BYTES, what: "metadata document" });
}

/** What is fetched: its size cap, and its name in messages. */
export interface PublicJsonLimits {
  maxBytes: number;
  what: string;
}

/**
 * Fetches a JSON document from the public internet, for whatever a client
 * points this server at (its metadata document, its JWK Set):
 * GET over https to the address that was checked (a custom `lookup` hands the
 * TLS socket that exact address, while SNI, certificate checks and Host use
 * the hostname), no redirects, 200 only, JSON only, at most `maxBytes`, within
 * one deadline covering DNS, connection and body. The caller checks the URL.
 */
export async function fetchPublicJson(url: URL, options: CimdFetchOptions, limits: PublicJsonLimits): Promise<FetchedDocument> {
  const { maxBytes, what } = limits;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const timeout = () => new CimdFetchError("timeout", `The ${what} did not arrive within ${options.timeoutMs} ms`);
  try {
    const address = await Promise.race([
      checkedAddress(url.hostname, options),
      new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(timeout()))),
    ]);
    return await new Promise<FetchedDocument>((resolve, reject) => {
      // GET, https.request's default. SNI and the certificate check use url.hostname (the agent
      // leaves SNI out for an IP address, RFC 6066 §3); only the connection goes to `address`.
      const request = https.request(
        url,
        {
          agent: false,
          headers: { Accept: "application/json" },
          ca: options.ca,
          signal: controller.signal,
          lookup: (_host, lookupOptions, callback) => {
            // Never resolve again: hand back the address that was checked (the caller may ask for a list).
            const cb = callback as (err: Error | null, address: string | LookupAddress[], family?: number) => void;
            if ((lookupOptions as { all?: boolean }).all) cb(null, [address]);
            else cb(null, address.address, address.family);
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const fail = (error: CimdFetchError) => {
            response.destroy();
            reject(error);
          };
          if (status >= 300 && status < 400) {
            return fail(new CimdFetchError("redirect", `The ${what} URL answered with a redirect (HTTP ${status}); redirects are not followed`));
          }
          if (status !== 200) return fail(new CimdFetchError("http_status", `The ${what} URL answered HTTP ${status}, not 200`));
          if (!isJsonContentType(response.headers["content-type"])) {
            return fail(new CimdFetchError("not_json", `The ${what} is not JSON (Content-Type: ${response.headers["content-type"] ?? "none"})`));
          }
          const tooLarge = () => new CimdFetchError("too_large", `The ${what} is larger than ${maxBytes} bytes`);
          if (Number(response.headers["content-length"] ?? 0) > maxBytes) return fail(tooLarge());
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) return fail(tooLarge());
            chunks.push(chunk);
          });
          response.on("error", (error) => reject(controller.signal.aborted ? timeout() : new CimdFetchError("network", `Reading the ${what} failed: ${error.message}`, { cause: error })));
          response.on("end", () => {
            let body: unknown;
            try {
              body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            } catch (error) {
              return reject(new CimdFetchError("invalid_json", `The ${what} is not valid JSON`, { cause: error }));
            }
            resolve({ body, maxAgeSeconds: cacheMaxAge(response.headers["cache-control"]) });
          });
        },
      );
      request.on("error", (error) => {
        reject(controller.signal.aborted ? timeout() : new CimdFetchError("network", `The ${what} could not be fetched: ${error.message}`, { cause: error }));
      });
      request.end();
    });
  } finally {
    clearTimeout(timer);
  }
}
