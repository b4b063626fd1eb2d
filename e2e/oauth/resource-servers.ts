import { test } from "@playwright/test";
import { apiKey } from "./clients";

/**
 * Adds resource servers (RFC 8707) to the project setting of the running
 * project's server for the tests of a file, and returns what restores the
 * setting as found: a `resource` outside the list is `invalid_target`.
 * Call from `test.beforeAll`; suites run one at a time (workers: 1).
 */
export async function listResourceServers(servers: string[]): Promise<() => Promise<void>> {
  const project = test.info().project;
  const url = new URL("/api/v1/settings", project.use.baseURL).href;
  const headers = { authorization: `Bearer ${apiKey(project.name)}`, "content-type": "application/json" };
  const patch = async (resource_servers: string[]) => {
    const response = await fetch(url, { method: "PATCH", headers, body: JSON.stringify({ resource_servers }) });
    if (response.status !== 200) throw new Error(`PATCH /api/v1/settings: ${response.status} ${await response.text()}`);
  };
  const before = (await (await fetch(url, { headers })).json()) as { resource_servers: string[] };
  await patch([...before.resource_servers, ...servers.filter((s) => !before.resource_servers.includes(s))]);
  return () => patch(before.resource_servers);
}
