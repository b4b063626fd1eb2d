import { describe, expect, it } from "vitest";
import { GRANTS_MARKER, machineInputFromForm, scopesField } from "./machine-client-form";

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};

describe("machineInputFromForm", () => {
  it("reads the settings and the checked resource servers with their scopes", () => {
    const { input, fields } = machineInputFromForm(
      form([
        ["name", "Job"],
        ["access_token_ttl_seconds", "600"],
        [GRANTS_MARKER, "1"],
        ["grant", "https://api.example.com"],
        [scopesField("https://api.example.com"), "a:read, a:write\nb"],
        [scopesField("https://unchecked.example.com"), "ignored"],
      ]),
    );
    expect(fields).toEqual({});
    expect(input).toEqual({ name: "Job", access_token_ttl_seconds: 600, grants: [{ resource: "https://api.example.com", scopes: ["a:read", "a:write", "b"] }] });
  });

  it("sends no grants when the form does not show them, and an empty list when none is checked", () => {
    expect(machineInputFromForm(form([["name", "Job"]])).input).toEqual({ name: "Job" });
    expect(machineInputFromForm(form([[GRANTS_MARKER, "1"]])).input).toEqual({ grants: [] });
  });

  it("reads the client authentication fields as the app form does: the method, a pasted JWK Set, a blank URL as none", () => {
    const keys = { keys: [{ kty: "EC", crv: "P-256", x: "x", y: "y", kid: "k1" }] };
    expect(machineInputFromForm(form([["token_endpoint_auth_method", "private_key_jwt"], ["jwks", JSON.stringify(keys)], ["jwks_uri", " "]]))).toEqual({
      input: { token_endpoint_auth_method: "private_key_jwt", jwks: keys, jwks_uri: null },
      fields: {},
    });
    expect(machineInputFromForm(form([["jwks", "{not json"]])).fields).toHaveProperty("jwks");
  });
});
