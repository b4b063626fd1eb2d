import { describe, expect, it } from "vitest";
import { parseListQuery } from "./list-query";

const parse = (query: string) => parseListQuery(new URLSearchParams(query));

describe("list query (?limit=&cursor=&q=)", () => {
  it("defaults to 100 apps from the start, no search", () => {
    expect(parse("")).toEqual({ limit: 100, cursor: undefined, search: undefined });
    expect(parse("cursor=&q=%20%20")).toEqual({ limit: 100, cursor: undefined, search: undefined });
  });

  it("takes limit 1 to 1000, a cursor and a trimmed search", () => {
    expect(parse("limit=1").limit).toBe(1);
    expect(parse("limit=1000").limit).toBe(1000);
    expect(parse("limit=0250").limit).toBe(250);
    expect(parse("cursor=ca_abc&q=%20My%20App%20")).toMatchObject({ cursor: "ca_abc", search: "My App" });
  });

  it.each(["0", "1001", "-1", "1.5", "1e3", "abc", "", " 10", "99999999999999999999"])("refuses limit=%s with a 400 on limit", (limit) => {
    expect(() => parse(`limit=${encodeURIComponent(limit)}`)).toThrow(
      expect.objectContaining({ status: 400, code: "invalid_request", fields: { limit: "must be an integer from 1 to 1000" } }),
    );
  });

  it("refuses a search over 200 characters", () => {
    expect(parse(`q=${"a".repeat(200)}`).search).toHaveLength(200);
    expect(() => parse(`q=${"a".repeat(201)}`)).toThrow(expect.objectContaining({ status: 400, fields: { q: expect.any(String) } }));
  });

  it("refuses a search or cursor with a NUL (the database cannot compare it)", () => {
    expect(() => parse("q=a%00b")).toThrow(expect.objectContaining({ status: 400, fields: { q: expect.stringContaining("NUL") } }));
    expect(() => parse("cursor=%00")).toThrow(expect.objectContaining({ status: 400, fields: { cursor: expect.stringContaining("NUL") } }));
  });
});
