import { describe, expect, it } from "vitest";
import { splitGrantable } from "./grantable";

const custom = new Map([
  ["read:invoices", ["invoices.read"]],
  ["write:invoices", ["invoices.read", "invoices.write"]],
  ["public:news", []],
]);

describe("splitGrantable", () => {
  it("built-in scopes are always grantable here (their rules are the policy table's)", () => {
    expect(splitGrantable(["openid", "email", "offline_access", "full_access"], custom, new Set())).toEqual({
      grantable: ["openid", "email", "offline_access", "full_access"],
      ungrantable: [],
    });
  });

  it("a custom scope needs every permission it lists", () => {
    const split = splitGrantable(["openid", "read:invoices", "write:invoices"], custom, new Set(["invoices.read"]));
    expect(split.grantable).toEqual(["openid", "read:invoices"]);
    expect(split.ungrantable).toEqual([{ scope: "write:invoices", missing: ["invoices.write"] }]);
    expect(splitGrantable(["write:invoices"], custom, new Set(["invoices.read", "invoices.write"])).grantable).toEqual(["write:invoices"]);
  });

  it("a custom scope without permissions is grantable by anyone; an undefined one by no one", () => {
    expect(splitGrantable(["public:news", "gone:scope"], custom, new Set())).toEqual({
      grantable: ["public:news"],
      ungrantable: [{ scope: "gone:scope", missing: [] }],
    });
  });
});
