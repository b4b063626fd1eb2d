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
});
