import { describe, expect, it } from "vitest";
import { OAuthError } from "./errors";
import { readForm, readParams } from "./params";
import { checkScopesAllowed, parseScope } from "./scopes";

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
});

describe("readForm", () => {
  const post = (body: BodyInit, type = "application/x-www-form-urlencoded") =>
    new Request("https://id.example.com/oauth2/token", { method: "POST", body, headers: { "content-type": type } });
  const failure = async (request: Request) => readForm(request).then(() => "ok", (e: OAuthError) => e.code);

  it("reads a form, with or without a charset", async () => {
    expect((await readForm(post("a=1&b=%20x"))).get("b")).toBe(" x");
    expect((await readForm(post("a=1", "application/x-www-form-urlencoded; charset=UTF-8"))).get("a")).toBe("1");
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

describe("scopes", () => {
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
