import { describe, expect, it } from "vitest";
import { isUnstorable, unstorablePaths, printable } from "./text";

describe("strings the database cannot store", () => {
  it("are those with NUL or an unpaired surrogate", () => {
    expect(isUnstorable("a\u0000b")).toBe(true);
    expect(isUnstorable("a\uD800")).toBe(true);
    expect(isUnstorable("\uDC00a")).toBe(true);
    expect(isUnstorable("\uDC00\uD800")).toBe(true);
    expect(isUnstorable("emoji 😀, accents é, CJK 漢字, \t\n")).toBe(false);
    expect(isUnstorable("")).toBe(false);
  });

  it("are found anywhere in a JSON value, by wire path", () => {
    expect(unstorablePaths({ name: "ok", redirect_uris: ["https://a", "b\u0000"], nested: { x: ["\uD800"] } })).toEqual([
      "nested.x[0]",
      "redirect_uris[1]",
    ]);
    expect(unstorablePaths({ ["k\u0000"]: 1 })).toEqual(["body"]);
    expect(unstorablePaths({ a: 1, b: true, c: null, d: ["x"] })).toEqual([]);
  });

  it("are searched without recursion, so deep nesting cannot overflow the stack", () => {
    let deep: unknown = "x\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(unstorablePaths({ deep })).toHaveLength(1);
  });
});

describe("text from a request in a log line", () => {
  it("writes control characters as escapes, so a log line cannot be split or carry a NUL", () => {
    expect(printable("/signin?error=\u0000")).toBe("/signin?error=\\u0000");
    expect(printable("a\r\nfake log line\u007f")).toBe("a\\u000d\\u000afake log line\\u007f");
    expect(printable("plain text, é and ✓")).toBe("plain text, é and ✓");
  });
});
