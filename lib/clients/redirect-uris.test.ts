import { describe, expect, it } from "vitest";
import { acceptedRedirectUris, REDIRECT_URI_ACCEPTANCE, redirectUriMatches, redirectUriProblem, redirectUriProblems } from "./redirect-uris";

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

describe("redirect URI rules, one check at a time", () => {
  const problem = (uri: string, rule: "confidential" | "public" = "public", options = prod) => redirectUriProblem(uri, rule, options);

  it("takes at most 2,000 characters", () => {
    const base = "https://app.example.com/";
    const exactly = (n: number) => base + "a".repeat(n - base.length);
    expect(exactly(2000)).toHaveLength(2000);
    expect(problem(exactly(2000))).toBeNull();
    expect(problem(exactly(2000), "confidential")).toBeNull();
    expect(problem(exactly(2001))).toBe("must be at most 2000 characters");
    expect(problem(exactly(2001), "confidential")).toBe("must be at most 2000 characters");
  });

  it("refuses whitespace, even where the URL parser would drop it", () => {
    for (const uri of ["https://app.example.com/c b", "https://app.example.com/c\tb", "https://app.example.com/c\nb", " https://app.example.com/cb", "https://app.example.com/cb\r"]) {
      expect(problem(uri), JSON.stringify(uri)).toBe("must not contain spaces");
    }
  });

  it("refuses every forbidden scheme by name, for both rules", () => {
    const uris = [
      "javascript:alert(1)",
      "data:text/html,hi",
      "file:///etc/passwd",
      "vbscript:msgbox(1)",
      "blob:https://app.example.com/0b1e",
      "about:blank",
      "ftp://app.example.com/cb",
      "ws://127.0.0.1/cb",
      "wss://app.example.com/cb",
      "JavaScript:alert(1)",
      "FTP://app.example.com/cb",
    ];
    for (const uri of uris) {
      const scheme = `${uri.slice(0, uri.indexOf(":")).toLowerCase()}:`;
      for (const rule of ["public", "confidential"] as const) {
        expect(problem(uri, rule), `${uri} (${rule})`).toBe(`must not use the ${scheme} scheme`);
        expect(problem(uri, rule, dev), `${uri} (${rule}, dev)`).toBe(`must not use the ${scheme} scheme`);
      }
    }
  });

  it("refuses a fragment, even an empty one, and a wildcard anywhere", () => {
    for (const uri of ["https://app.example.com/cb#", "https://app.example.com/cb#x", "http://127.0.0.1:8080/cb#", "com.example.app:/cb#x"]) {
      expect(problem(uri), uri).toBe("must not contain a fragment (#)");
    }
    for (const uri of ["https://*.example.com/cb", "https://app.example.com/cb?x=*", "https://app.example.com/*/cb", "http://127.0.0.1/*"]) {
      expect(problem(uri), uri).toBe("must not contain wildcards (*)");
    }
  });

  it("refuses a user name, a password, or both", () => {
    for (const uri of ["https://user@app.example.com/cb", "https://:secret@app.example.com/cb", "https://user:secret@app.example.com/cb", "http://user@127.0.0.1/cb"]) {
      expect(problem(uri), uri).toBe("must not contain a user name or password");
    }
  });

  it("refuses unparsable and relative URIs", () => {
    for (const uri of ["", "/cb", "cb", "app.example.com/cb", "https://", "http://[::1/cb", "1app.example:/cb"]) {
      expect(problem(uri), uri).toBe("is not a valid absolute URI");
    }
  });

  it("takes https with any host (the URL parser never yields an https URL without one)", () => {
    expect(problem("https://a/cb", "confidential")).toBeNull();
    expect(problem("https://127.0.0.1:8443/cb", "confidential")).toBeNull();
    expect(problem("https://[::1]/cb", "confidential")).toBeNull();
  });

  it("allows http only for loopback hosts: for public clients always, for confidential ones only in development", () => {
    const loopbackOnly = "must use https: http is accepted only on 127.0.0.1, [::1] or localhost";
    const confidentialProd =
      "must use https: confidential apps accept only https URLs (http on 127.0.0.1, [::1] or localhost too while the server runs in development mode)";
    for (const uri of ["http://127.0.0.1/cb", "http://127.0.0.1:51234/cb", "http://[::1]:8080/cb", "http://localhost/cb", "http://LOCALHOST:3000/cb"]) {
      expect(problem(uri, "public"), uri).toBeNull();
      expect(problem(uri, "public", dev), uri).toBeNull();
      expect(problem(uri, "confidential", dev), uri).toBeNull();
      expect(problem(uri, "confidential"), uri).toBe(confidentialProd);
    }
    for (const uri of ["http://app.example.com/cb", "http://127.0.0.2/cb", "http://localhost.example.com/cb", "http://[::2]/cb", "http://0.0.0.0/cb"]) {
      for (const [rule, options] of [["public", prod], ["public", dev], ["confidential", dev]] as const) {
        expect(problem(uri, rule, options), `${uri} ${rule} ${options.development}`).toBe(loopbackOnly);
      }
      // Issue 17: a confidential app in production is never told that localhost would do.
      expect(problem(uri, "confidential"), uri).toBe(confidentialProd);
    }
  });

  it("allows custom schemes only to public clients, and only in reverse-DNS form (RFC 8252 §7.1)", () => {
    const accepted = [
      "com.example.app:/oauth2redirect",
      "com.example.app://callback",
      "a.b:/cb",
      "Com.Example.App:/cb", // the URL parser lower-cases the scheme
      "com.example-app.x:/cb",
      "my-app.example:/cb", // - before the dot
      "com.my-app:/cb", // - after the last dot
      "com.example+x:/cb",
      "x+y.z:/cb",
      "org.example.app2:/cb",
      "a1.b:/cb", // a digit before the dot
      "com.example.:/cb", // a dot, then at least one character that may be another dot
      "com..example:/cb",
    ];
    for (const uri of accepted) {
      expect(problem(uri, "public"), uri).toBeNull();
      expect(problem(uri, "confidential"), uri).toMatch(/^must use https: confidential apps accept only https URLs \(/);
      expect(problem(uri, "confidential", dev), uri).toBe("must use https: confidential apps accept https URLs or http on 127.0.0.1, [::1] or localhost (any port)");
    }
    const refused = ["myapp:/cb", "my-app:/cb", "my+app:/cb", "com.:/cb", "x1:/cb", "mailto:someone@example.com", "urn:ietf:wg:oauth:2.0:oob", "chrome-extension://abcdef/cb"];
    for (const uri of refused) {
      expect(problem(uri, "public"), uri).toBe("a custom scheme must be reverse-DNS style, like com.example.app:/callback");
      expect(problem(uri, "confidential"), uri).toMatch(/^must use https: confidential apps accept only https URLs/);
    }
  });
});

describe("redirect URI matching, loopback ports", () => {
  it("lets only http loopback URIs vary the port: https loopback must match exactly", () => {
    expect(redirectUriMatches("https://127.0.0.1:8443/cb", "https://127.0.0.1:9000/cb")).toBe(false);
    expect(redirectUriMatches("https://localhost:8443/cb", "https://localhost:9000/cb")).toBe(false);
    expect(redirectUriMatches("https://[::1]:8443/cb", "https://[::1]:9000/cb")).toBe(false);
    expect(redirectUriMatches("https://127.0.0.1/cb", "https://127.0.0.1:9000/cb")).toBe(false);
    expect(redirectUriMatches("https://127.0.0.1:8443/cb", "https://127.0.0.1:8443/cb")).toBe(true);
  });

  it("does not let other http hosts vary the port", () => {
    expect(redirectUriMatches("http://app.example.com:8080/cb", "http://app.example.com:9090/cb")).toBe(false);
    expect(redirectUriMatches("http://127.0.0.2:8080/cb", "http://127.0.0.2:9090/cb")).toBe(false);
    expect(redirectUriMatches("http://localhost.example.com:8080/cb", "http://localhost.example.com:9090/cb")).toBe(false);
  });

  it("still needs the same path and query when the port differs", () => {
    expect(redirectUriMatches("http://127.0.0.1:8080/cb?x=1", "http://127.0.0.1:9090/cb?x=1")).toBe(true);
    expect(redirectUriMatches("http://127.0.0.1:8080/cb?x=1", "http://127.0.0.1:9090/cb?x=2")).toBe(false);
    expect(redirectUriMatches("http://127.0.0.1:8080/cb?x=1", "http://127.0.0.1:9090/cb")).toBe(false);
    expect(redirectUriMatches("http://127.0.0.1:8080/cb", "http://127.0.0.1:9090/cb?x=1")).toBe(false);
    expect(redirectUriMatches("http://[::1]:8080/a/cb", "http://[::1]:9090/b/cb")).toBe(false);
    expect(redirectUriMatches("http://localhost:8080/cb", "http://localhost:9090/CB")).toBe(false);
    expect(redirectUriMatches("http://localhost:8080/cb", "http://127.0.0.1:8080/cb")).toBe(false);
  });

  it("refuses a requested loopback URI with a fragment, even when the registered one has the same", () => {
    expect(redirectUriMatches("http://127.0.0.1/cb#x", "http://127.0.0.1:5000/cb#x")).toBe(false);
    expect(redirectUriMatches("http://127.0.0.1/cb", "http://127.0.0.1:5000/cb#")).toBe(false);
  });

  it("refuses what does not parse", () => {
    expect(redirectUriMatches("http://127.0.0.1/cb", "not a url")).toBe(false);
    expect(redirectUriMatches("not a url", "http://127.0.0.1/cb")).toBe(false);
  });
});

describe("redirect URI messages follow the rule's table (issue 17)", () => {
  it("says in words exactly what each rule accepts in each mode", () => {
    expect(acceptedRedirectUris("confidential", prod)).toBe("only https URLs (http on 127.0.0.1, [::1] or localhost too while the server runs in development mode)");
    expect(acceptedRedirectUris("confidential", dev)).toBe("https URLs or http on 127.0.0.1, [::1] or localhost (any port)");
    const publicWords = "https URLs, http on 127.0.0.1, [::1] or localhost (any port) or app schemes in reverse-DNS form such as com.example.app:/callback";
    expect(acceptedRedirectUris("public", prod)).toBe(publicWords);
    expect(acceptedRedirectUris("public", dev)).toBe(publicWords);
    expect(acceptedRedirectUris("none", prod)).toBe("no redirect URIs");
  });

  it("accepts an example of each kind exactly when the table says so, for every rule and mode", () => {
    for (const rule of ["confidential", "public"] as const) {
      for (const [mode, options] of [["production", prod], ["development", dev]] as const) {
        const accepts = REDIRECT_URI_ACCEPTANCE[rule][mode];
        const where = `${rule} ${mode}`;
        expect(redirectUriProblem("https://app.example.com/cb", rule, options), where).toBeNull();
        expect(redirectUriProblem("http://localhost:8080/cb", rule, options) === null, where).toBe(accepts.loopbackHttp);
        expect(redirectUriProblem("com.example.app:/cb", rule, options) === null, where).toBe(accepts.privateUseScheme);
        // A refusal never offers what the same rule refuses: loopback is named as accepted only where it is.
        const refusal = redirectUriProblem("http://crm.partner.test/cb", rule, options)!;
        expect(refusal.includes("accepted only on 127.0.0.1"), where).toBe(accepts.loopbackHttp);
      }
    }
  });

  it("lists every problem of a URI, not only the first", () => {
    expect(redirectUriProblems("http://user:pw@crm.partner.test/*#x", "confidential", prod)).toEqual([
      "must not contain a fragment (#)",
      "must not contain wildcards (*)",
      "must not contain a user name or password",
      "must use https: confidential apps accept only https URLs (http on 127.0.0.1, [::1] or localhost too while the server runs in development mode)",
    ]);
    expect(redirectUriProblems("javascript:alert(1)#x", "public", prod)).toEqual(["must not contain a fragment (#)", "must not use the javascript: scheme"]);
    expect(redirectUriProblems(" https://app.example.com/c b", "public", prod)).toEqual(["must not contain spaces"]);
    expect(redirectUriProblems("a b", "public", prod)).toEqual(["must not contain spaces", "is not a valid absolute URI"]);
    expect(redirectUriProblem("myapp:/cb#x", "public", prod)).toBe("must not contain a fragment (#); a custom scheme must be reverse-DNS style, like com.example.app:/callback");
    expect(redirectUriProblems("https://app.example.com/cb", "none", prod)).toEqual(["cannot be registered: machine clients have no authorization requests"]);
  });
});
