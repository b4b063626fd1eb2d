import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createApp } from "../../clients/apps";
import { PageError } from "../page-error";
import { RedirectedAuthorizationError, validateAuthorizationRequest } from "./request";

const S256 = { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" };

/** The parameter checks of /authorize, one row per rule: what a client sent, and the error its redirect URI gets. */
describe.each(testDatabases)("authorization request parameters on $name", ({ target }) => {
  let db: TestDatabase;
  let clientId: string;
  let appId: string;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    const { app } = await createApp(db.prisma, { type: "system", id: null, label: "t" }, { client_type: "third_party", name: "R", redirect_uris: ["https://rp.example/cb"] }, "api");
    clientId = app.client_id;
    appId = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId } })).id;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const validate = (extra: Record<string, string | string[]>) => {
    const source = new URLSearchParams({ client_id: clientId, response_type: "code", scope: "openid", state: "st", ...S256 });
    for (const [name, value] of Object.entries(extra)) {
      source.delete(name);
      for (const v of [value].flat()) source.append(name, v);
    }
    return validateAuthorizationRequest(db.oauth, source);
  };
  const redirectedError = async (extra: Record<string, string | string[]>) => {
    const error = await validate(extra).then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof RedirectedAuthorizationError)) throw new Error(`expected a redirected error, got ${String(error)}`);
    // The app is named too: its activity counts the error.
    expect(error.target).toEqual({ appId, redirectUri: "https://rp.example/cb", state: "st" });
    return error.error.code;
  };

  it.each([
    [{ prompt: "select_account" }, "invalid_request"],
    [{ prompt: "bogus" }, "invalid_request"],
    [{ prompt: "none login" }, "invalid_request"],
    [{ max_age: "-1" }, "invalid_request"],
    [{ max_age: "1.5" }, "invalid_request"],
    [{ max_age: "x10" }, "invalid_request"],
    [{ max_age: "10x" }, "invalid_request"],
    [{ max_age: "1234567890" }, "invalid_request"],
    [{ resource: "/relative" }, "invalid_target"],
    [{ resource: "https://api.example/#frag" }, "invalid_target"],
    [{ resource: Array.from({ length: 11 }, (_, i) => `https://id.example.com/r${i}`) }, "invalid_target"],
    [{ response_mode: "fragment" }, "invalid_request"],
    [{ request: "eyJ.x.y" }, "request_not_supported"],
    [{ request_uri: "urn:x" }, "request_uri_not_supported"],
    [{ response_type: "token" }, "unsupported_response_type"],
    [{ nonce: "n".repeat(513) }, "invalid_request"],
  ] as const)("%o → %s", async (extra, error) => {
    expect(await redirectedError(extra)).toBe(error);
  });

  it("a missing response_type is invalid_request", async () => {
    const source = new URLSearchParams({ client_id: clientId, scope: "openid", state: "st", ...S256 });
    await expect(validateAuthorizationRequest(db.oauth, source)).rejects.toMatchObject({ error: { code: "invalid_request" } });
  });

  it("accepted values are kept as the client sent them", async () => {
    const { params } = await validate({ prompt: "login  consent login", max_age: "0", response_mode: "query", resource: ["https://id.example.com/", "https://id.example.com/"] });
    expect(params.prompt).toEqual(["login", "consent"]);
    expect(params.maxAge).toBe(0);
    expect(params.resources).toEqual(["https://id.example.com"]); // the issuer, named twice, once
    expect((await validate({ prompt: "none" })).params.prompt).toEqual(["none"]);
    expect((await validate({ max_age: "999999999" })).params.maxAge).toBe(999999999);
  });

  it("state at the limit is echoed; one character more is refused without echoing it", async () => {
    const max = "s".repeat(1024);
    const { params } = await validate({ state: max });
    expect(params.state).toBe(max);
    const error = await validate({ state: `${max}s` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectedAuthorizationError);
    expect((error as RedirectedAuthorizationError).target.state).toBeUndefined();
    expect((error as RedirectedAuthorizationError).error.code).toBe("invalid_request");
  });

  it("a redirect URI is checked against every registered one (any of them may match)", async () => {
    const { app } = await createApp(db.prisma, { type: "system", id: null, label: "t" }, { client_type: "third_party", name: "Two", redirect_uris: ["https://a.example/cb", "https://b.example/cb"] }, "api");
    const source = (uri: string) => new URLSearchParams({ client_id: app.client_id, response_type: "code", redirect_uri: uri, scope: "openid", ...S256 });
    expect((await validateAuthorizationRequest(db.oauth, source("https://b.example/cb"))).params.redirectUri).toBe("https://b.example/cb");
    await expect(validateAuthorizationRequest(db.oauth, source("https://c.example/cb"))).rejects.toBeInstanceOf(PageError);
  });

  it("page errors and redirected errors name themselves (they are logged by name)", () => {
    expect(new PageError("t", "d").name).toBe("PageError");
    expect(new RedirectedAuthorizationError(new (class extends Error {})() as never, { redirectUri: "x", state: undefined }).name).toBe("RedirectedAuthorizationError");
  });
});
