import { describe, expect, it } from "vitest";
import { redirectUriMatches, redirectUriProblem } from "./redirect-uris";

const prod = { development: false };
const dev = { development: true };

// [uri, confidential (production), confidential (development), public]
const TABLE: [string, boolean, boolean, boolean][] = [
  ["https://app.example.com/callback", true, true, true],
  ["https://app.example.com:8443/cb?x=1", true, true, true],
  ["http://localhost:3000/callback", false, true, true],
  ["http://127.0.0.1/callback", false, true, true],
  ["http://127.0.0.1:51234/callback", false, true, true],
  ["http://[::1]:8080/cb", false, true, true],
  ["http://app.example.com/callback", false, false, false],
  ["http://192.168.1.10/cb", false, false, false],
  ["com.example.app:/oauth2redirect", false, false, true],
  ["com.example.app://callback", false, false, true],
  ["myapp:/callback", false, false, false],
  ["https://app.example.com/cb#frag", false, false, false],
  ["https://app.example.com/cb#", false, false, false],
  ["https://*.example.com/cb", false, false, false],
  ["https://app.example.com/*", false, false, false],
  ["https://user:pass@app.example.com/cb", false, false, false],
  ["https://user@app.example.com/cb", false, false, false],
  ["javascript:alert(1)", false, false, false],
  ["JavaScript:alert(1)", false, false, false],
  ["data:text/html,hi", false, false, false],
  ["file:///etc/passwd", false, false, false],
  ["vbscript:x", false, false, false],
  ["/relative/callback", false, false, false],
  ["app.example.com/callback", false, false, false],
  ["", false, false, false],
  ["https://app.example.com/ cb", false, false, false],
  ["not a url", false, false, false],
  [`https://app.example.com/${"a".repeat(2000)}`, false, false, false],
];

describe("redirect URI rules", () => {
  it.each(TABLE)("%s → confidential %s, confidential in dev %s, public %s", (uri, confidential, confidentialDev, pub) => {
    expect(redirectUriProblem(uri, "confidential", prod) === null).toBe(confidential);
    expect(redirectUriProblem(uri, "confidential", dev) === null).toBe(confidentialDev);
    expect(redirectUriProblem(uri, "public", prod) === null).toBe(pub);
  });

  it("explains each refusal in words", () => {
    expect(redirectUriProblem("http://app.example.com/cb", "confidential", prod)).toMatch(/https/);
    expect(redirectUriProblem("https://a.example/cb#x", "public", prod)).toMatch(/fragment/);
    expect(redirectUriProblem("https://*.example/cb", "public", prod)).toMatch(/wildcard/);
    expect(redirectUriProblem("https://u:p@a.example/cb", "public", prod)).toMatch(/user name or password/);
    expect(redirectUriProblem("javascript:alert(1)", "public", prod)).toMatch(/javascript: scheme/);
    expect(redirectUriProblem("myapp:/cb", "public", prod)).toMatch(/reverse-DNS/);
    expect(redirectUriProblem("nope", "public", prod)).toMatch(/absolute URI/);
  });
});

describe("redirect URI matching", () => {
  it("matches registered URIs exactly", () => {
    expect(redirectUriMatches("https://a.example/cb", "https://a.example/cb")).toBe(true);
    expect(redirectUriMatches("https://a.example/cb", "https://a.example/cb/")).toBe(false);
    expect(redirectUriMatches("https://a.example/cb", "https://a.example/cb?x=1")).toBe(false);
    expect(redirectUriMatches("https://a.example:443/cb", "https://a.example:444/cb")).toBe(false);
    expect(redirectUriMatches("com.example.app:/cb", "com.example.app:/cb")).toBe(true);
  });

  it("matches loopback redirect URIs with any port (RFC 8252 §7.3), and nothing else", () => {
    expect(redirectUriMatches("http://127.0.0.1/cb", "http://127.0.0.1:53122/cb")).toBe(true);
    expect(redirectUriMatches("http://127.0.0.1:8080/cb", "http://127.0.0.1:9090/cb")).toBe(true);
    expect(redirectUriMatches("http://[::1]/cb", "http://[::1]:4000/cb")).toBe(true);
    expect(redirectUriMatches("http://localhost/cb", "http://localhost:4000/cb")).toBe(true);
    expect(redirectUriMatches("http://127.0.0.1/cb", "http://127.0.0.1:53122/other")).toBe(false);
    expect(redirectUriMatches("http://127.0.0.1/cb", "http://localhost:53122/cb")).toBe(false);
    expect(redirectUriMatches("http://127.0.0.1/cb", "https://127.0.0.1:53122/cb")).toBe(false);
    expect(redirectUriMatches("https://a.example/cb", "https://a.example:8443/cb")).toBe(false);
    expect(redirectUriMatches("http://127.0.0.1/cb", "http://127.0.0.1:1/cb#x")).toBe(false);
  });
});
