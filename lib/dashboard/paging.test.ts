import { describe, expect, it } from "vitest";
import { firstParam, listPage, pageSize } from "./paging";

const digits = (c: string) => /^\d+$/.test(c);

describe("paged dashboard lists", () => {
  it("reads the first of repeated parameters and a page size between 1 and 100", () => {
    expect(firstParam(["a", "b"])).toBe("a");
    expect(firstParam(undefined)).toBeUndefined();
    for (const [value, size] of [["1", 1], ["100", 100], ["0", 20], ["101", 20], ["2.5", 20], ["x", 20], [undefined, 20]] as const) {
      expect(pageSize(value, 20), String(value)).toBe(size);
    }
  });

  it("keeps the search and a non-default page size in every page link, and drops the defaults", () => {
    const page = listPage("/dashboard/apps", { q: "  shop ", per_page: "5", cursor: "42" }, { defaultSize: 20, isCursor: digits });
    expect(page).toMatchObject({ q: "shop", cursor: "42", perPage: 5, keptPerPage: 5 });
    expect(page.href("43")).toBe("/dashboard/apps?q=shop&per_page=5&cursor=43");
    expect(page.href(null)).toBe("/dashboard/apps?q=shop&per_page=5");
    const plain = listPage("/dashboard/apps", { per_page: "20" }, { defaultSize: 20, isCursor: digits });
    expect(plain.href(null)).toBe("/dashboard/apps");
    expect(plain.keptPerPage).toBeUndefined();
  });

  it("starts over on a cursor it did not make, and ignores a search no stored text can hold", () => {
    const page = listPage("/dashboard/users", { q: "a\u0000b", cursor: "not-a-cursor" }, { defaultSize: 20, isCursor: digits });
    expect(page).toMatchObject({ q: "", cursor: undefined, perPage: 20 });
    expect(listPage("/x", { q: "é".repeat(300) }, { defaultSize: 20, isCursor: digits }).q).toHaveLength(200);
  });
});
