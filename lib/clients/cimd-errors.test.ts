import { describe, expect, it } from "vitest";
import { CimdDocumentError } from "./cimd-document";
import { CimdDisabledError, isCimdError } from "./cimd-errors";
import { CimdFetchError } from "./cimd-fetch";

describe("isCimdError", () => {
  it("recognises every CIMD error", () => {
    expect(isCimdError(new CimdDisabledError())).toBe(true);
    expect(isCimdError(new CimdFetchError("timeout", "slow"))).toBe(true);
    expect(isCimdError(new CimdDocumentError("bad"))).toBe(true);
  });

  it("recognises one thrown by another copy of the classes (another route bundle), by its mark", () => {
    // What a second bundle's CimdDocumentError looks like from here: another class, the same process-wide mark.
    const mark = Symbol.for("connected-apps.cimd-error");
    class ElsewhereCimdError extends Error {
      readonly [mark] = true;
    }
    expect(new ElsewhereCimdError("x") instanceof CimdDocumentError).toBe(false);
    expect(isCimdError(new ElsewhereCimdError("x"))).toBe(true);
  });

  it("refuses everything else", () => {
    for (const value of [new Error("x"), new TypeError("x"), { name: "CimdDocumentError", message: "x" }, null, undefined, "CimdFetchError", 0]) {
      expect(isCimdError(value)).toBe(false);
    }
    const forged = Object.assign(new Error("x"), { [Symbol("connected-apps.cimd-error")]: true });
    expect(isCimdError(forged)).toBe(false);
  });
});
