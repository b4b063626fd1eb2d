import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./safe-return-path";

const SITE = "https://id.example.com";

describe("safeReturnPath", () => {
  it.each(["/account", "/dashboard?x=1#y", "/", "/a/b/c", "/search?q=a%20b&next=%2F%2Fevil.example"])(
    "accepts the local path %s unchanged",
    (value) => {
      expect(safeReturnPath(value)).toBe(value);
    },
  );

  it.each([
    "https://evil.example",
    "http://evil.example/account",
    "//evil.example",
    "//evil.example/account",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "account",
    "evil.example",
    " /account",
    "",
  ])("refuses %j", (value) => {
    expect(safeReturnPath(value)).toBe("/signed-in");
  });

  it.each([undefined, null, 42, {}, ["/account"], true])("refuses the non-string %j", (value) => {
    expect(safeReturnPath(value)).toBe("/signed-in");
  });

  it("uses the given fallback", () => {
    expect(safeReturnPath("https://evil.example", "/dashboard")).toBe("/dashboard");
    expect(safeReturnPath(undefined, "/")).toBe("/");
    expect(safeReturnPath("/apps", "/dashboard")).toBe("/apps");
  });

  it.each(["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/%2F/evil.example", "/%5Cevil.example"])(
    "whatever it returns for %j stays on this site",
    (value) => {
      const result = safeReturnPath(value);
      expect(result.startsWith("/")).toBe(true);
      expect(result.startsWith("//")).toBe(false);
      expect(new URL(result, SITE).origin).toBe(SITE);
    },
  );

  // Regression (was an open redirect): the checks ran on the raw input but
  // the normalised path was returned, and dot segments collapse into a
  // protocol-relative URL: "/.//evil.example" came back as "//evil.example".
  it.each(["/.//evil.example", "/..//evil.example", "/a/..//evil.example", "/%2e//evil.example"])(
    "does not turn the dot-segment path %j into a protocol-relative URL",
    (value) => {
      const result = safeReturnPath(value);
      expect(result.startsWith("//")).toBe(false);
      expect(new URL(result, SITE).origin).toBe(SITE);
    },
  );
});
