import { describe, expect, it } from "vitest";
import { APP_VIEW_FIELDS } from "../clients/app-view";
import { ApiError } from "./api-error";
import { parseFields, selectFields } from "./fields";

describe("?fields= selection", () => {
  it("is absent: every field", () => {
    expect(parseFields(null)).toBeNull();
    const app = Object.fromEntries(APP_VIEW_FIELDS.map((f) => [f, f])) as Record<(typeof APP_VIEW_FIELDS)[number], string>;
    expect(selectFields(app, null)).toBe(app);
  });

  it("names fields: only those, in the order given, once each; blanks and spaces ignored", () => {
    expect(parseFields("name,client_id")).toEqual(["name", "client_id"]);
    expect(parseFields(" client_id , name,,client_id ")).toEqual(["client_id", "name"]);
    const app = Object.fromEntries(APP_VIEW_FIELDS.map((f) => [f, `v-${f}`])) as Record<(typeof APP_VIEW_FIELDS)[number], string>;
    const selected = selectFields(app, ["name", "client_id"]);
    expect(Object.keys(selected)).toEqual(["name", "client_id"]);
    expect(selected).toEqual({ name: "v-name", client_id: "v-client_id" });
  });

  it("keeps a selected field whose value is null", () => {
    const app = Object.fromEntries(APP_VIEW_FIELDS.map((f) => [f, null])) as Record<(typeof APP_VIEW_FIELDS)[number], null>;
    expect(selectFields(app, ["logo_uri"])).toEqual({ logo_uri: null });
  });

  it("refuses unknown names with a 400 that lists the valid ones", () => {
    const error = catchError(() => parseFields("client_id,client_secret,secret_hash"));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "invalid_request" });
    expect(error.description).toContain("Unknown fields: client_secret, secret_hash");
    for (const field of APP_VIEW_FIELDS) expect(error.description).toContain(field);
    expect(error.fields).toEqual({ fields: "unknown: client_secret, secret_hash" });
  });

  it("refuses a parameter that names nothing, and inherited object keys", () => {
    expect(catchError(() => parseFields(""))).toMatchObject({ status: 400, fields: { fields: "must name at least one field" } });
    expect(catchError(() => parseFields(" , "))).toMatchObject({ status: 400 });
    expect(catchError(() => parseFields("constructor,__proto__,toString"))).toMatchObject({ status: 400 });
  });
});

function catchError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    return error as ApiError;
  }
  throw new Error("expected a throw");
}
