import { describe, expect, it } from "vitest";
import { connectionInputFromForm } from "./connection-form";

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};

describe("connectionInputFromForm", () => {
  it("reads a create form: lists split on spaces, commas and lines; unchecked boxes are false", () => {
    const input = connectionInputFromForm(
      form([
        ["kind", "oidc"],
        ["slug", "okta"],
        ["name", "Okta"],
        ["issuer", "https://example.okta.com"],
        ["client_id", "abc"],
        ["client_secret", "s3cret"],
        ["scopes", "openid email,profile"],
        ["allowed_email_domains", "example.com\nexample.org"],
        ["level", "project"],
        ["apps", "ca_ignored"],
      ]),
      "create",
    );
    expect(input).toEqual({
      kind: "oidc",
      slug: "okta",
      name: "Okta",
      issuer: "https://example.okta.com",
      client_id: "abc",
      client_secret: "s3cret",
      scopes: ["openid", "email", "profile"],
      allowed_email_domains: ["example.com", "example.org"],
      link_verified_email: false,
      enabled: false,
      level: "project",
      apps: [],
    });
  });

  it("reads an edit form: a blank secret is left out (unchanged), no issuer field keeps the preset's, app-level keeps the picked apps", () => {
    const input = connectionInputFromForm(
      form([
        ["name", "Google"],
        ["client_id", "abc"],
        ["client_secret", ""],
        ["scopes", "openid"],
        ["level", "app"],
        ["apps", "ca_1"],
        ["apps", "ca_2"],
        ["enabled", "on"],
        ["link_verified_email", "on"],
        ["slug", "ignored"],
      ]),
      "edit",
    );
    expect(input).not.toHaveProperty("client_secret");
    expect(input).not.toHaveProperty("issuer");
    expect(input).not.toHaveProperty("slug");
    expect(input).toMatchObject({ level: "app", apps: ["ca_1", "ca_2"], enabled: true, link_verified_email: true });
    expect(connectionInputFromForm(form([["client_secret", "new"]]), "edit")).toMatchObject({ client_secret: "new" });
  });
});
