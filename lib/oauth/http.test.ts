import { describe, expect, it } from "vitest";
import { invalidClient } from "./oauth-error";
import { preflight, protocolEndpoint, protocolJson } from "./http";

/** CORS for browser-based clients (token, userinfo, revocation, discovery, JWKS): every header and its value. */
const CORS: [header: string, value: string][] = [
  // Credentials are never cookies on these endpoints, so any origin may call.
  ["Access-Control-Allow-Origin", "*"],
  // Bearer tokens and Basic client credentials, form bodies, and MCP clients' protocol version header.
  ["Access-Control-Allow-Headers", "Authorization, Content-Type, MCP-Protocol-Version, DPoP"],
  // Browser clients must read the challenge of a 401 (RFC 6750 §3, RFC 9728 resource_metadata).
  ["Access-Control-Expose-Headers", "WWW-Authenticate, DPoP-Nonce"],
  ["Access-Control-Max-Age", "86400"],
];

/** RFC 6749 §5.1: token responses (and every protocol JSON answer) are never cached. */
const NO_STORE: [header: string, value: string][] = [
  ["Cache-Control", "no-store"],
  ["Pragma", "no-cache"],
];

const responses: [kind: string, cors: boolean, make: () => Promise<Response>][] = [
  ["a preflight", true, async () => preflight("GET, POST")],
  ["a protocol JSON answer with CORS", true, async () => protocolJson({ ok: true }, { cors: true })],
  ["a protocol JSON answer without CORS", false, async () => protocolJson({ ok: true })],
  ["an error of a CORS endpoint", true, () => protocolEndpoint({ cors: true }, () => Promise.reject(invalidClient()))],
  ["an error of an endpoint without CORS", false, () => protocolEndpoint({ cors: false }, () => Promise.reject(invalidClient()))],
  ["an answer of a CORS endpoint", true, () => protocolEndpoint({ cors: true }, async () => protocolJson({ ok: true }, { cors: true }))],
];

describe.each(responses)("%s", (_, cors, make) => {
  it.each(CORS)(cors ? "sends %s: %s" : "does not send %s", async (header, value) => {
    expect((await make()).headers.get(header)).toBe(cors ? value : null);
  });
});

describe("protocol responses", () => {
  it("a preflight answers 204 and allows the endpoint's methods and OPTIONS", async () => {
    const response = preflight("GET, POST");
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Methods")).toBe("GET, POST, OPTIONS");
    expect(response.body).toBeNull();
  });

  const withoutCors: [string, string | null][] = CORS.map(([header]) => [header, null]);
  it.each([
    ["default", {}, 200, withoutCors],
    ["with a status", { status: 201 }, 201, withoutCors],
    ["with CORS", { cors: true }, 200, CORS],
  ] as [string, { cors?: boolean; status?: number }, number, [string, string | null][]][])("protocol JSON (%s) is never cached", async (_, options, status, cors) => {
    const response = protocolJson({ a: 1 }, options);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ a: 1 });
    for (const [header, value] of [...NO_STORE, ...cors]) expect(response.headers.get(header), header).toBe(value);
  });

  it("protocol JSON sends a DPoP nonce when given one (RFC 9449 §8), and no DPoP-Nonce header otherwise", () => {
    expect(protocolJson({ a: 1 }, { dpopNonce: "n-1" }).headers.get("DPoP-Nonce")).toBe("n-1");
    expect(protocolJson({ a: 1 }, { dpopNonce: "" }).headers.get("DPoP-Nonce")).toBe("");
    expect(protocolJson({ a: 1 }).headers.has("DPoP-Nonce")).toBe(false);
  });

  it("an error keeps its status, challenge and no-store, and gains CORS on a CORS endpoint", async () => {
    const response = await protocolEndpoint({ cors: true }, () => Promise.reject(invalidClient("bad", 'Basic realm="oauth2"')));
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toBe('Basic realm="oauth2"');
    for (const [header, value] of [...NO_STORE, ...CORS]) expect(response.headers.get(header), header).toBe(value);
  });
});
