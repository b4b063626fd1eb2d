// fast-check arbitraries for hostile HTTP requests: path segments, query
// strings, headers and bodies built from what has broken servers before
// (NUL, unpaired surrogates, invalid UTF-8, bad percent-encoding, huge and
// repeated parameters, deep nesting) mixed with the names this server reads.
import fc from "fast-check";

/** Strings with a history: NUL, surrogates, bidi, injection, numbers JSON and SQL choke on. */
const NASTY = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\udc00y",
  "\uffff",
  "\ufeff",
  "\u202e",
  "\u0085",
  "\r\nX-Injected: 1",
  "💩",
  "ｅｘａｍｐｌｅ",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "\\",
  "%",
  "%00",
  "%zz",
  "null",
  "true",
  "[]",
  "{}",
  "-1",
  "0",
  "1e309",
  "NaN",
  "9".repeat(40),
  "__proto__",
  "constructor",
  "http://evil.example/cb",
  "https://evil.example/",
  "javascript:alert(1)",
  "data:text/html,x",
  "http://127.0.0.1:1/",
  "http://localhost/",
  "com.example.app:/cb",
  "openid",
  "openid profile email offline_access full_access",
  "S256",
  "plain",
  "code",
  "authorization_code",
  "refresh_token",
  "client_credentials",
  "urn:ietf:params:oauth:grant-type:device_code",
  "RS256",
  "HS256",
  "none",
  "first_party",
  "third_party_public",
];

/** Names the server reads somewhere: protocol parameters, API fields, next-auth's. */
const NAMES = [
  "client_id",
  "client_secret",
  "redirect_uri",
  "redirect_uris",
  "response_type",
  "response_mode",
  "scope",
  "scopes",
  "state",
  "nonce",
  "prompt",
  "max_age",
  "code",
  "code_challenge",
  "code_challenge_method",
  "code_verifier",
  "grant_type",
  "refresh_token",
  "token",
  "token_type_hint",
  "resource",
  "audience",
  "id_token_hint",
  "post_logout_redirect_uri",
  "logout_hint",
  "request",
  "request_uri",
  "decision",
  "csrf",
  "return_to",
  "callbackUrl",
  "error",
  "csrfToken",
  "json",
  "limit",
  "cursor",
  "q",
  "name",
  "description",
  "type",
  "permissions",
  "allowed_scopes",
  "skip_consent",
  "status",
  "client_name",
  "client_uri",
  "logo_uri",
  "grant_types",
  "response_types",
  "token_endpoint_auth_method",
  "id_token_signed_response_alg",
  "contacts",
  "jwks",
  "software_statement",
  "default_role",
  "role",
  "resource_servers",
  "access_token_alg",
  "user_id",
  "email",
  "password",
  "token_name",
  "metadata",
  "expires_in",
  "__proto__",
];

/** Text of any Unicode (lone surrogates included), plus the known nasty strings and the odd long one. */
export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("a", "%", "\u0000", "é", "\ud800", "💩"), fc.integer({ min: 256, max: 5000 })).map(([s, n]) => s.repeat(n)) },
);

const name = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: text });

/** UTF-8 bytes of a string, lone surrogates as the 3-byte (WTF-8) form a sloppy encoder would send. */
function wtf8(value: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const next = value.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      bytes.push(...Buffer.from(value.slice(i, i + 2), "utf8"));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
    } else {
      bytes.push(...Buffer.from(value[i]!, "utf8"));
    }
  }
  return Buffer.from(bytes);
}

/** Percent-encodes every byte outside the unreserved set (so the result is plain ASCII). */
export function percentEncode(value: string): string {
  let out = "";
  for (const byte of wtf8(value)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Characters used raw in a request target: printable ASCII (stray `%`, quotes, `<`, `\\`). Node's HTTP
 * parser answers a bare 400 to any byte above 0x7E before the server sees the request, so those are sent encoded.
 */
const rawTargetChar = fc.integer({ min: 0x21, max: 0x7e }).filter((c) => c !== 0x23 && c !== 0x3f && c !== 0x2f).map((c) => String.fromCharCode(c));

/** Percent-encoding that does not decode to UTF-8 text (overlong, surrogate, beyond U+10FFFF, truncated). */
const BAD_PERCENT = ["%", "%2", "%zz", "%%", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%FF", "%E2%82", "%c3%28"];

/**
 * A value for a path segment or a query component, already in wire form:
 * properly encoded hostile text, raw ASCII punctuation, broken
 * percent-encoding, encoded slashes and dots.
 */
export const wireValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: text.map(percentEncode) },
  { weight: 2, arbitrary: fc.string({ unit: rawTargetChar, minLength: 1, maxLength: 20 }) },
  { weight: 2, arbitrary: fc.tuple(text.map(percentEncode), fc.constantFrom(...BAD_PERCENT)).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.constantFrom("%2F", "a%2Fb", "%2e%2e", "%2E", "%5C", "%00", "%0A", "%0D%0A", "%20", "+", "%2B", "..%2F..%2F") },
);

/**
 * Node refuses a request head over 16 KiB (431) before any app code runs;
 * a target up to this size leaves room for the headers.
 */
export const MAX_TARGET = 6 * 1024;

/** A query string (`?…` or nothing): known and random names, duplicates, and sometimes one name hundreds of times. */
export const query: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constant("") },
  {
    weight: 6,
    arbitrary: fc
      .array(fc.tuple(name.map(percentEncode), fc.option(wireValue, { nil: undefined })), { minLength: 1, maxLength: 8 })
      .map((pairs) => "?" + pairs.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join("&")),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(name.map(percentEncode), wireValue, fc.integer({ min: 50, max: 400 })).map(([k, v, n]) => "?" + Array(n).fill(`${k}=${v.slice(0, 12)}`).join("&")),
  },
  { weight: 1, arbitrary: fc.constantFrom("?", "?&&&", "?=", "?a", "?%", "?a=%", "?a=%zz&a=%ED%A0%80", "?%00=%00", "?a[]=1&a[b]=2") },
);

/** A header value node:http will send (tab, U+0020–U+007E, U+0080–U+00FF), short enough that all of them fit in Node's 16 KiB head. */
const headerText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  text.map((t) => Buffer.from(t, "utf8").toString("latin1").replace(/[^\t\x20-\x7e\x80-\xff]/g, "").slice(0, 300)),
);

export type Credentials = "none" | "valid" | "revoked" | "garbage";

/** The Authorization header for a credential choice, given the owner API keys. */
export function authorization(choice: Credentials, keys: { valid: string; revoked: string }): fc.Arbitrary<string | undefined> {
  switch (choice) {
    case "none":
      return fc.constant(undefined);
    case "valid":
      return fc.constant(`Bearer ${keys.valid}`);
    case "revoked":
      return fc.constant(`Bearer ${keys.revoked}`);
    case "garbage":
      return fc.oneof(
        headerText.map((t) => `Bearer ${t}`),
        headerText.map((t) => `Basic ${t}`),
        fc.tuple(text, text).map(([u, p]) => `Basic ${Buffer.from(`${u}:${p}`, "utf8").toString("base64")}`),
        fc.tuple(text.map(percentEncode), text).map(([u, p]) => `Basic ${Buffer.from(`${u}:${p}`, "utf8").toString("base64")}`),
        fc.constantFrom("Bearer", "Bearer ", "Basic", "Basic !!!", "Basic Og==", "DPoP x", "bearer ca_key_", `Bearer ${"A".repeat(3000)}`),
        headerText,
      ).map((value) => value.slice(0, 3000));
  }
}

const CONTENT_TYPES = [
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=iso-8859-1",
  "application/json",
  "application/json; charset=utf-16",
  "multipart/form-data; boundary=fuzz",
  "multipart/form-data",
  "text/plain;charset=UTF-8",
  "application/octet-stream",
  "",
];

/** Headers besides Authorization: content type, cookies, origin, forwarding and caching headers, in hostile forms. */
export const otherHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    "content-type": fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: headerText }),
    cookie: fc.oneof(
      headerText,
      headerText.map((t) => `next-auth.session-token=${t}`),
      fc.tuple(headerText, headerText).map(([id, secret]) => `ca_authz_${id.replace(/[=;\s]/g, "")}=${secret}`),
      fc.constantFrom("next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z", "next-auth.csrf-token=a%7Cb", "a=%ED%A0%80"),
    ),
    origin: fc.oneof(fc.constantFrom("https://evil.example", "null", "http://localhost"), headerText),
    "x-forwarded-for": fc.oneof(fc.constantFrom("203.0.113.7", "::1, 10.0.0.1", "unknown"), headerText),
    "x-forwarded-host": fc.oneof(fc.constantFrom("evil.example", "localhost:1"), headerText),
    "x-forwarded-proto": fc.constantFrom("https", "gopher", ""),
    accept: fc.oneof(fc.constantFrom("application/json", "text/html", "text/x-component", "*/*"), headerText),
    "accept-encoding": fc.constantFrom("gzip, br", "identity;q=0", "*"),
    "if-none-match": headerText,
    range: fc.constantFrom("bytes=0-0", "bytes=-1", "bytes=9999999999-", "bytes=a-b"),
    rsc: fc.constantFrom("1", "0"),
    "next-router-state-tree": headerText,
    "mcp-protocol-version": headerText,
    dpop: headerText,
  },
  { requiredKeys: [] },
);

/** A JSON value with known field names and hostile leaves, a few levels deep. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text,
    fc.boolean(),
    fc.constant(null),
    fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2)),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(name, tie("value"), { maxKeys: 5 }),
  ),
})).value;

/** A JSON object body's text: usually an object with known fields, sometimes any JSON value. */
const jsonText = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(name, jsonValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: jsonValue.map((v) => JSON.stringify(v) ?? "null") },
);

/** An application/x-www-form-urlencoded body: known names, duplicates, hostile values (some raw, some broken). */
const formText = fc
  .array(fc.tuple(name.map(percentEncode), wireValue), { maxLength: 10 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&"));

/** A body in any of the ways a client can get one wrong (or right). */
export const body: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: formText.map((t) => Buffer.from(t, "latin1")) },
  { weight: 4, arbitrary: jsonText.map((t) => Buffer.from(t, "utf8")) },
  // Invalid UTF-8 and NULs inside otherwise plausible bodies.
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.tuple(jsonText, fc.constantFrom("\xff", "\xc0\xaf", "\xed\xa0\x80", "\x00")).map(([j, bad]) => Buffer.concat([Buffer.from(j.slice(0, -1), "utf8"), Buffer.from(`,"x":"${bad}"}`, "latin1")])) },
  { weight: 1, arbitrary: fc.constantFrom('{"a":"\\ud800"}', '{"name":"\\u0000"}', '{"a":', "{", '{"__proto__":{"admin":true}}', '"str"', "[]", "null", "--fuzz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\x00\r\n--fuzz--\r\n").map((t) => Buffer.from(t, "latin1")) },
  // Deep nesting: recursive validators and walkers overflow the stack long before JSON.parse does.
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1000, max: 60_000 }), fc.boolean()).map(([n, arr]) => Buffer.from(arr ? "[".repeat(n) + "]".repeat(n) : '{"a":'.repeat(n) + "1" + "}".repeat(n))) },
  // Huge bodies: above every limit the server has (64 KiB for the API, the form limit for the protocol).
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("a", "scope=openid&", '{"a":1,'), fc.integer({ min: 70_000, max: 400_000 })).map(([unit, size]) => Buffer.from(unit.repeat(Math.ceil(size / unit.length)))) },
);

export { fc };
