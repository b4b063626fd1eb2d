import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import { serverActions } from "./fuzz/routes";

/** A GET with the path sent byte for byte (a URL parser would re-encode it). */
function rawGet(baseURL: string, path: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: "GET", headers: { authorization: "Bearer ca_key_x" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }));
    });
    req.on("error", reject);
    req.end();
  });
}

// Next answers these with a 500 before any route code runs; the server refuses them first.
test("paths that are not valid percent-encoded UTF-8 are a 400 in each part's shape, never a 500", async ({ baseURL }) => {
  for (const path of ["/oauth2/register/%", "/api/v1/roles/%", "/api/v1/scopes/%zz", "/api/v1/connected-apps/%ED%A0%80"]) {
    const reply = await rawGet(baseURL!, path);
    expect(reply.status, path).toBe(400);
    expect(reply.type, path).toContain("application/json");
    expect(JSON.parse(reply.body), path).toMatchObject({ error: "invalid_request" });
  }
  const page = await rawGet(baseURL!, "/dashboard/apps/%");
  expect(page.status).toBe(400);
  expect(page.body).toContain("Bad request");
});

test("next-auth routes with values a header cannot carry, or a look-alike callback host, never answer 500", async ({ baseURL, request }) => {
  const host = new URL(baseURL!).host;
  for (const path of ["/api/auth/error?error=%00", "/api/auth/signin?callbackUrl=%00", "/api/auth/error?error=a%0D%0ASet-Cookie:x=1"]) {
    const reply = await rawGet(baseURL!, path);
    expect(reply.status, path).toBeLessThan(500);
  }
  // The credentials callback with a callbackUrl on a host that merely starts like ours: refused (401), and never sent there.
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email: "nobody@example.com", password: "x", callbackUrl: `http://${host}.evil.example/`, json: "true" },
    maxRedirects: 0,
  });
  expect(response.status()).toBeLessThan(500);
  expect(response.headers()["location"] ?? "").not.toContain("evil.example");
  expect(JSON.stringify(await response.json().catch(() => ({})))).not.toContain("evil.example");
});

// Next refused these with a 500 (its CSRF check, its body decoding, and sign-up's own argument check); server.ts and the action answer first.
test("hostile server actions are refused without a 500", async ({ baseURL }) => {
  const signUp = serverActions().find((a) => a.name === "signUp")!;
  const post = (headers: Record<string, string>, body: string) =>
    fetch(new URL("/signup", baseURL), { method: "POST", headers: { "next-action": signUp.id, accept: "text/x-component", ...headers }, body });
  expect((await post({ origin: "https://evil.example", "content-type": "text/plain;charset=UTF-8" }, "[]")).status).toBe(403);
  expect((await post({ origin: "%%%", "content-type": "text/plain;charset=UTF-8" }, "[]")).status).toBe(403);
  expect((await post({ "content-type": "text/plain;charset=UTF-8" }, "garbage{")).status).toBe(400);
  expect((await post({ "content-type": "multipart/form-data; boundary=fuzz" }, "garbage")).status).toBe(400);
  const notAForm = await post({ "content-type": "text/plain;charset=UTF-8" }, '[{"email":"x"}]');
  expect(notAForm.status).toBe(200);
  expect(await notAForm.text()).toContain("Invalid input");
  const rscForm = await fetch(new URL("/no-such-page", baseURL), { method: "POST", headers: { rsc: "1", "content-type": "application/x-www-form-urlencoded" }, body: "a=1" });
  expect(rscForm.status).toBe(404);
});
