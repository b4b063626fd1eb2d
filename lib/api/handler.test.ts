import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createApiKey } from "../auth/api-keys";
import { conflictError } from "../domain-error";
import { invalidRequest } from "./api-error";
import { managementRoute } from "./handler";
import { json } from "./respond";

describe.each(testDatabases)("managementRoute on $name", ({ target }) => {
  let db: TestDatabase;
  let key: string;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    const owner = await db.prisma.user.create({
      data: { email: `owner-${randomBytes(4).toString("hex")}@example.com`, passwordHash: "unused", role: "owner" },
    });
    key = (await createApiKey(db.prisma, owner.id, "handler-test")).key;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const route = <P extends Record<string, string>>(handle: Parameters<typeof managementRoute<P>>[0]) =>
    managementRoute<P>(handle, { prisma: async () => db.prisma });
  const call = <P extends Record<string, string>>(r: ReturnType<typeof route<P>>, params: P, authorization?: string) =>
    r(new Request("http://localhost/api/v1/thing", { headers: authorization ? { authorization } : {} }), {
      params: Promise.resolve(params),
    });

  it("runs the handler with the key's actor and the awaited params", async () => {
    const handle = vi.fn(async ({ actor, params, url }) => json({ actor: actor.label, id: params.client_id, path: url.pathname }));
    const response = await call(route<{ client_id: string }>(handle), { client_id: "ca_1" }, `Bearer ${key}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ actor: expect.stringContaining('API key "handler-test"'), id: "ca_1", path: "/api/v1/thing" });
  });

  it("answers 404 for a path parameter no stored identifier can hold, without running the handler", async () => {
    const handle = vi.fn(async () => json({}));
    const response = await call(route<{ client_id: string }>(handle), { client_id: "ca_\u0000" }, `Bearer ${key}`);
    expect(response.status).toBe(404);
    expect((await response.json()).error).toBe("not_found");
    expect(handle).not.toHaveBeenCalled();
  });

  it("copes with a route that has no params (Next.js passes none for static routes)", async () => {
    const handle = vi.fn(async ({ params }) => json({ params }));
    const r = route(handle);
    const request = () => new Request("http://localhost/api/v1/settings", { headers: { authorization: `Bearer ${key}` } });
    for (const context of [undefined, {}, { params: Promise.resolve(undefined) }]) {
      const response = await r(request(), context as never);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ params: {} });
    }
  });

  it("never runs the handler without a valid key: 401 with a Bearer challenge", async () => {
    const handle = vi.fn(async () => json({}));
    for (const authorization of [undefined, "Bearer ca_key_unknown"]) {
      const response = await call(route(handle), {}, authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="connected-apps"/);
      expect((await response.json()).error).toBe("invalid_token");
    }
    expect(handle).not.toHaveBeenCalled();
  });

  it("turns the handler's typed errors into their responses, and anything else into a logged 500", async () => {
    const conflict = await call(route(async () => { throw conflictError("busy"); }), {}, `Bearer ${key}`);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ error: "conflict", error_description: "busy" });

    const bad = await call(route(async () => { throw invalidRequest("nope", { limit: "too big" }); }), {}, `Bearer ${key}`);
    expect(await bad.json()).toEqual({ error: "invalid_request", error_description: "nope", fields: { limit: "too big" } });

    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const crash = await call(route(async () => { throw new TypeError("x is undefined"); }), {}, `Bearer ${key}`);
    expect(crash.status).toBe(500);
    expect(await crash.text()).not.toContain("x is undefined");
    expect(log).toHaveBeenCalledWith(expect.stringContaining("GET /api/v1/thing"), expect.any(TypeError));
    log.mockRestore();
  });

  it("a database that cannot be opened is a 500, not a crash", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = managementRoute(async () => json({}), { prisma: () => Promise.reject(new Error("ECONNREFUSED")) });
    const response = await broken(new Request("http://localhost/api/v1/settings"), { params: Promise.resolve({}) });
    expect(response.status).toBe(500);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});
