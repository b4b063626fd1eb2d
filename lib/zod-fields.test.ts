import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldMessages, wireName } from "./zod-fields";

describe("wireName", () => {
  it.each([
    [["redirect_uris", 1], "redirect_uris[1]"],
    [["metadata", "theme"], "metadata.theme"],
    [["a", 0, "b", 2], "a[0].b[2]"],
    [[0], "[0]"],
    [[], "body"],
  ] as const)("%j is %s", (path, name) => {
    expect(wireName(path)).toBe(name);
  });
});

describe("fieldMessages", () => {
  const schema = z.strictObject({ name: z.string().min(1, "is required"), tags: z.array(z.string().max(3, "is too long")) });

  it("keeps the first message of each field, by wire name", () => {
    const parsed = schema.safeParse({ name: "", tags: ["ok", "toolong", "also too long"] });
    expect(parsed.success).toBe(false);
    expect(fieldMessages(parsed.error!)).toEqual({ name: "is required", "tags[1]": "is too long", "tags[2]": "is too long" });
  });

  it("names each unknown key in the caller's words", () => {
    const parsed = schema.safeParse({ name: "a", tags: [], colour: 1, size: 2 });
    expect(fieldMessages(parsed.error!)).toEqual({ colour: "is not a known field", size: "is not a known field" });
    expect(fieldMessages(parsed.error!, "is not a known setting")).toEqual({ colour: "is not a known setting", size: "is not a known setting" });
  });

  it("a body of the wrong type is `body`", () => {
    expect(fieldMessages(schema.safeParse("text").error!)).toEqual({ body: expect.any(String) });
  });
});
