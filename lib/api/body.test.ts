import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_BODY_BYTES, readBody, readJsonObject } from "./body";

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/v1/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

/** A body streamed in chunks, without Content-Length. */
function streamed(chunks: number, size: number) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < chunks) controller.enqueue(new Uint8Array(size).fill(0x20));
      else controller.close();
    },
  });
}

describe("JSON request bodies", () => {
  it("reads a JSON object", async () => {
    expect(await readJsonObject(post('{"name":"A","n":[1]}'))).toEqual({ name: "A", n: [1] });
    expect(await readJsonObject(post(" {} "))).toEqual({});
  });

  it.each([
    ["malformed JSON", '{"name":', "The request body is not valid JSON"],
    ["an empty body", "", "The request body is not valid JSON"],
    ["an array", "[]", "The request body must be a JSON object"],
    ["a string", '"name"', "The request body must be a JSON object"],
    ["null", "null", "The request body must be a JSON object"],
    ["a number", "42", "The request body must be a JSON object"],
  ])("refuses %s with 400 invalid_request", async (_, body, description) => {
    await expect(readJsonObject(post(body))).rejects.toMatchObject({ status: 400, code: "invalid_request", description });
  });

  it("refuses invalid UTF-8 with a 400", async () => {
    await expect(readJsonObject(post(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])))).rejects.toMatchObject({
      status: 400,
      description: "The request body is not valid UTF-8",
    });
  });

  it("refuses strings the database cannot store with 400 invalid_body naming the field", async () => {
    await expect(readJsonObject(post(JSON.stringify({ name: "a\u0000b", redirect_uris: ["ok", "\uD800"] })))).rejects.toMatchObject({
      status: 400,
      code: "invalid_body",
      fields: { name: expect.stringContaining("NUL"), "redirect_uris[1]": expect.stringContaining("surrogate") },
    });
  });

  it("survives the deepest nesting 64 KB can hold", async () => {
    const depth = 32_000;
    const body = `{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const parsed = await readJsonObject(post(body)).then(
      () => "parsed",
      (error) => error,
    );
    // V8 may refuse the depth (then it is "not valid JSON"); either way, no crash.
    expect(parsed === "parsed" || parsed.code === "invalid_request").toBe(true);
  });

  it("takes 64 KB, refuses more with 413: by Content-Length, and while streaming without one", async () => {
    const fits = `{"a":"${"x".repeat(MAX_BODY_BYTES - 8)}"}`;
    expect(Buffer.byteLength(fits)).toBe(MAX_BODY_BYTES);
    expect(await readJsonObject(post(fits))).toHaveProperty("a");
    await expect(readJsonObject(post(`${fits} `))).rejects.toMatchObject({ status: 413, code: "payload_too_large" });
    await expect(readJsonObject(post("{}", { "content-length": String(MAX_BODY_BYTES + 1) }))).rejects.toMatchObject({ status: 413 });
    await expect(readJsonObject(post(streamed(1000, 1024)))).rejects.toMatchObject({ status: 413 });
  });

  it("validates with a zod schema: issues become per-field messages (400 invalid_body)", async () => {
    const schema = z.object({ dcr_enabled: z.boolean() }).partial().strict();
    expect(await readBody(post('{"dcr_enabled":true}'), schema)).toEqual({ dcr_enabled: true });
    await expect(readBody(post('{"dcr_enabled":"yes","other":1}'), schema)).rejects.toMatchObject({
      status: 400,
      code: "invalid_body",
      fields: { dcr_enabled: expect.any(String), other: "is not a known setting" },
    });
    await expect(readBody(post("[]"), schema)).rejects.toMatchObject({ code: "invalid_request" });
  });
});
