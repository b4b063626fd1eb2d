import { describe, expect, it } from "vitest";
import { unknownEndpointRoute } from "./unknown-endpoint";

describe("a path no route serves under the API prefixes", () => {
  it("is a JSON not_found for every method, never cached", async () => {
    for (const [method, handler] of Object.entries(unknownEndpointRoute)) {
      const response = handler();
      expect(response.status, method).toBe(404);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toEqual({ error: "not_found", error_description: "No such endpoint" });
    }
  });
});
