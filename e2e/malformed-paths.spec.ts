import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";

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
