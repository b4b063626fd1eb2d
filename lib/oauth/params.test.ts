import { describe, expect, it } from "vitest";
import { OAuthError } from "./oauth-error";
import { splitGrantable } from "../rbac/grantable";
import { MAX_FORM_BYTES, readForm, readParams } from "./params";
import { checkScopesAllowed, describeScope, parseScope, STANDARD_SCOPES } from "./scopes";

const code = (fn: () => unknown) => {
  try {
    fn();
    return "ok";
  } catch (e) {
    return (e as OAuthError).code;
  }
};

describe("readParams", () => {
  it("refuses repeated parameters except resource, and treats empty values as absent", () => {
    expect(code(() => readParams(new URLSearchParams("a=1&a=2")))).toBe("invalid_request");
    const p = readParams(new URLSearchParams("resource=https://a&resource=https://b&scope=&scope=openid"));
    expect(p.all("resource")).toEqual(["https://a", "https://b"]);
    expect(p.get("scope")).toBe("openid");
    expect(p.get("state")).toBeUndefined();
    expect(code(() => readParams(new URLSearchParams({ state: "x".repeat(5000) })))).toBe("invalid_request");
    // PostgreSQL text cannot hold NUL: refused here rather than failing a query.
    expect(code(() => readParams(new URLSearchParams({ client_id: "a\u0000b" })))).toBe("invalid_request");
    expect(code(() => readParams(new URLSearchParams({ client_id: "a\u0000b" }), { storable: false }))).toBe("ok");
  });

  it("only resource may repeat (RFC 8707 §2); every other parameter at most once (RFC 6749 §3.1)", () => {
    for (const name of ["resource"]) expect(code(() => readParams(new URLSearchParams([[name, "https://a"], [name, "https://b"]])))).toBe("ok");
    for (const name of ["client_id", "scope", "state", "grant_type", "code", "redirect_uri", "refresh_token", "audience", "resources"]) {
      expect(code(() => readParams(new URLSearchParams([[name, "a"], [name, "b"]]))), name).toBe("invalid_request");
    }
  });

  it("values may be 4096 characters long, not one more; names and resource values alike", () => {
    for (const name of ["state", "resource"]) {
      expect(readParams(new URLSearchParams({ [name]: "x".repeat(4096) })).get(name)).toHaveLength(4096);
      expect(code(() => readParams(new URLSearchParams({ [name]: "x".repeat(4097) }))), name).toBe("invalid_request");
    }
  });
});

describe("readForm", () => {
  const post = (body: BodyInit, type = "application/x-www-form-urlencoded") =>
    new Request("https://id.example.com/oauth2/token", { method: "POST", body, headers: { "content-type": type } });
  const failure = async (request: Request) => readForm(request).then(() => "ok", (e: OAuthError) => e.code);

  it("reads a form, with or without a charset", async () => {
    expect((await readForm(post("a=1&b=%20x"))).get("b")).toBe(" x");
    expect((await readForm(post("a=1", "application/x-www-form-urlencoded; charset=UTF-8"))).get("a")).toBe("1");
    // Media types are case-insensitive, and a space may stand before the parameters (RFC 9110 §8.3.1).
    expect((await readForm(post("a=1", "Application/X-WWW-Form-Urlencoded ; charset=UTF-8"))).get("a")).toBe("1");
  });

  it("stops reading a chunked body past 64 KB", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
        if (pulled > 1000) controller.close();
      },
    });
    const request = new Request("https://id.example.com/", { method: "POST", body: stream, headers: { "content-type": "application/x-www-form-urlencoded" }, duplex: "half" } as RequestInit);
    expect(await failure(request)).toBe("invalid_request");
    expect(pulled).toBeLessThan(10);
  });

  // Exactly MAX_FORM_BYTES (64 KiB) of form: a=xxx…
  const form = (bytes: number) => `a=${"x".repeat(bytes - 2)}`;
  const chunked = (body: string) => {
    const bytes = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.subarray(i, i + 1000));
        controller.close();
      },
    });
    return new Request("https://id.example.com/", { method: "POST", body: stream, headers: { "content-type": "application/x-www-form-urlencoded" }, duplex: "half" } as RequestInit);
  };

  it.each([
    ["with Content-Length", (body: string) => post(body)],
    ["chunked, without Content-Length", chunked],
  ])("accepts a body of exactly 64 KiB and refuses one byte more (%s)", async (_, request) => {
    expect(MAX_FORM_BYTES).toBe(65_536);
    expect((await readForm(request(form(65_536)))).get("a")).toHaveLength(65_534);
    expect(await failure(request(form(65_537)))).toBe("invalid_request");
  });

  it("refuses a declared Content-Length over 64 KiB before reading", async () => {
    const request = post("a=1");
    request.headers.set("content-length", "65537");
    expect(await failure(request)).toBe("invalid_request");
  });

  it("refuses JSON, a missing content type and bodies over 64 KB", async () => {
    expect(await failure(post('{"a":1}', "application/json"))).toBe("invalid_request");
    expect(await failure(new Request("https://id.example.com/", { method: "POST", body: "a=1", headers: { "content-type": "" } }))).toBe("invalid_request");
    expect(await failure(post("a=" + "x".repeat(70_000)))).toBe("invalid_request");
  });

  it("tolerates broken percent-encoding and invalid UTF-8 without throwing", async () => {
    const form = await readForm(post(new Uint8Array([0x61, 0x3d, 0xff, 0x25, 0x7a])));
    expect(form.get("a")).toBeTypeOf("string");
  });
});

/** The built-in scopes (docs/design.md "Scopes and permissions", README) and what the consent page says for each. */
const BUILT_IN_SCOPES: Record<string, string> = {
  openid: "Sign you in with your account",
  profile: "See your name",
  email: "See your email address",
  phone: "See your phone number",
  offline_access: "Stay connected when you are not using it (refresh tokens)",
  full_access: "Act as you with everything your account can do",
  "read:current_user": "See your account ID and the data apps store on your profile (user metadata)",
  "update:current_user_metadata": "Change your profile's app data (user metadata)",
};

describe("scopes", () => {
  it("has exactly the built-in scopes of docs/design.md", () => {
    expect(Object.keys(STANDARD_SCOPES).sort()).toEqual(Object.keys(BUILT_IN_SCOPES).sort());
  });

  it.each(Object.entries(BUILT_IN_SCOPES))("%s: described in plain words, and grantable without any permission", (scope, description) => {
    expect(describeScope(scope)).toBe(description);
    expect(splitGrantable([scope], new Map(), new Set())).toEqual({ grantable: [scope], ungrantable: [] });
  });

  it("describes a custom scope by its name", () => {
    expect(describeScope("read:invoices")).toBe("read:invoices");
    // Names an object inherits are custom scopes too, not built-ins.
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) expect(describeScope(name)).toBe(name);
  });

  // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). Each edge of each range, from both sides.
  it.each([
    ["!", "%x21"],
    ["#", "%x23"],
    ["[", "%x5B"],
    ["]", "%x5D"],
    ["~", "%x7E"],
    ["A", "%x41"],
    ["read:current_user", "a built-in"],
  ])("accepts the scope-token character %s (%s)", (char) => {
    expect(parseScope(`openid ${char}`)).toEqual(["openid", char]);
    expect(parseScope(`a${char}b`)).toEqual([`a${char}b`]);
  });

  it.each([
    ['"', "%x22"],
    ["\\", "%x5C"],
    ["\x7F", "%x7F (DEL)"],
    ["\x1F", "%x1F"],
    ["\t", "%x09 (tab)"],
    ["\x00", "%x00"],
    ["\x80", "%x80"],
    ["é", "non-ASCII"],
  ])("refuses %j (%s) at the start, in the middle and at the end of a token", (char) => {
    for (const scope of [char, `${char}openid`, `open${char}id`, `openid${char}`]) {
      expect(code(() => parseScope(`email ${scope}`)), JSON.stringify(scope)).toBe("invalid_scope");
    }
  });

  it("splits, de-duplicates and checks scope-token characters", () => {
    expect(parseScope("openid  email openid")).toEqual(["openid", "email"]);
    expect(parseScope(undefined)).toEqual([]);
    expect(code(() => parseScope('openid "quoted"'))).toBe("invalid_scope");
  });

  it("allows only the app's allowed scopes, and full_access only where the policy and the app allow it", () => {
    const app = { allowedScopes: ["openid", "full_access"], clientType: "first_party" as const, fullAccessAllowed: true };
    expect(code(() => checkScopesAllowed(app, ["openid", "full_access"]))).toBe("ok");
    expect(code(() => checkScopesAllowed(app, ["email"]))).toBe("invalid_scope");
    expect(code(() => checkScopesAllowed({ ...app, fullAccessAllowed: false }, ["full_access"]))).toBe("invalid_scope");
    expect(code(() => checkScopesAllowed({ ...app, clientType: "third_party" }, ["full_access"]))).toBe("invalid_scope");
  });
});
