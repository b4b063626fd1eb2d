import { describe, expect, it } from "vitest";
import { createInputFromForm, linesOf, messagesFor, scopesOf, settingsFromForm, unplacedMessages } from "./app-form";

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

describe("app form parsing", () => {
  it("splits URI lists by line and scopes by spaces or commas, dropping blanks", () => {
    expect(linesOf(" https://a.example/cb \r\n\n https://b.example/cb\n")).toEqual(["https://a.example/cb", "https://b.example/cb"]);
    expect(scopesOf("openid, profile\nemail  offline_access")).toEqual(["openid", "profile", "email", "offline_access"]);
  });

  it("sends only the fields present, empty optional text as null", () => {
    const { input, fields } = settingsFromForm(
      form([
        ["name", "My app"],
        ["description", "  "],
        ["logo_uri", " https://a.example/logo.png "],
        ["redirect_uris", "https://a.example/cb"],
        ["access_token_ttl_seconds", "900"],
      ]),
    );
    expect(fields).toEqual({});
    expect(input).toEqual({
      name: "My app",
      description: null,
      logo_uri: "https://a.example/logo.png",
      redirect_uris: ["https://a.example/cb"],
      access_token_ttl_seconds: 900,
    });
  });

  it("reads a checkbox as false when its marker is present and it is unchecked", () => {
    const { input } = settingsFromForm(
      form([
        ["booleans", "skip_consent"],
        ["booleans", "full_access_allowed"],
        ["full_access_allowed", "on"],
        ["booleans", "require_par"],
        ["require_par", "on"],
        ["booleans", "not_a_setting"],
        ["not_a_setting", "on"],
      ]),
    );
    expect(input).toEqual({ skip_consent: false, full_access_allowed: true, require_par: true });
  });

  it("reads the auth method, a pasted JWK Set as JSON (blank: none) and the JWK Set URL", () => {
    const keys = { keys: [{ kty: "EC", crv: "P-256", x: "x", y: "y" }] };
    expect(settingsFromForm(form([["token_endpoint_auth_method", "private_key_jwt"], ["jwks", ` ${JSON.stringify(keys)} `], ["jwks_uri", " "]]))).toEqual({
      input: { token_endpoint_auth_method: "private_key_jwt", jwks: keys, jwks_uri: null },
      fields: {},
    });
    expect(settingsFromForm(form([["jwks", ""]])).input).toEqual({ jwks: null });
    expect(settingsFromForm(form([["jwks", "{keys: oops"]])).fields).toEqual({ jwks: expect.stringMatching(/not valid JSON/) });
  });

  it("refuses a lifetime that is not a whole number before calling lib", () => {
    const { input, fields } = settingsFromForm(form([["access_token_ttl_seconds", "1.5"]]));
    expect(input).toEqual({});
    expect(fields).toEqual({ access_token_ttl_seconds: "must be a whole number of seconds" });
  });

  it("adds the chosen type on create", () => {
    const { input } = createInputFromForm(form([["client_type", "first_party"], ["name", "x"], ["redirect_uris", ""]]));
    expect(input).toEqual({ client_type: "first_party", name: "x", redirect_uris: [] });
  });
});

describe("field messages", () => {
  const fields = { "redirect_uris[1]": "http://a.example/cb must use https", name: "is required", body: "bad" };

  it("collects a list's item messages under the list field", () => {
    expect(messagesFor(fields, "redirect_uris")).toEqual(["http://a.example/cb must use https"]);
    expect(messagesFor(fields, "redirect")).toEqual([]);
    expect(messagesFor(fields, "name")).toEqual(["is required"]);
  });

  it("lists the messages of fields the form does not show", () => {
    expect(unplacedMessages(fields, ["redirect_uris", "name"])).toEqual(["body: bad"]);
  });
});
