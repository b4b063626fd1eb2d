import { describe, expect, it } from "vitest";
import { AUTHORIZATION_REQUEST_TTL_S } from "../lifetimes";
import { bindingFromCookies, errorPage, outcomeResponse } from "./outcome-response";

const LOCATION = "https://app.example.com/cb?code=abc&state=xyz";

describe("outcomeResponse", () => {
  it.each([
    [false, 302],
    [true, 303],
  ])("a redirect after a POST %s is %s, never cached, no cookie unless asked", (afterPost, status) => {
    const response = outcomeResponse({ type: "redirect", location: LOCATION }, { secureCookies: false, afterPost });
    expect(response.status).toBe(status);
    expect(response.headers.get("location")).toBe(LOCATION);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it.each([
    [false, "Path=/; HttpOnly; SameSite=Lax"],
    [true, "Path=/; HttpOnly; SameSite=Lax; Secure"],
  ])("sets the binding cookie for the request's lifetime (secure %s)", (secureCookies, attributes) => {
    const response = outcomeResponse({ type: "redirect", location: "/signin", setBinding: { id: "req-1", secret: "s3cret" } }, { secureCookies, afterPost: false });
    expect(response.headers.getSetCookie()).toEqual([`ca_authz_req-1=s3cret; Max-Age=${AUTHORIZATION_REQUEST_TTL_S}; ${attributes}`]);
  });

  it.each([
    [false, "Path=/; HttpOnly; SameSite=Lax"],
    [true, "Path=/; HttpOnly; SameSite=Lax; Secure"],
  ])("clears a spent request's binding cookie (secure %s), with another set beside it", (secureCookies, attributes) => {
    const response = outcomeResponse(
      { type: "redirect", location: LOCATION, setBinding: { id: "req-2", secret: "t" }, clearBinding: "req-1" },
      { secureCookies, afterPost: true },
    );
    expect(response.headers.getSetCookie()).toEqual([`ca_authz_req-2=t; Max-Age=${AUTHORIZATION_REQUEST_TTL_S}; ${attributes}`, `ca_authz_req-1=; Max-Age=0; ${attributes}`]);
  });

  it("an error page is the page: 400, never a redirect, whatever the options", () => {
    const response = outcomeResponse({ type: "error_page", title: "Unknown app", description: "Not registered." }, { secureCookies: true, afterPost: true });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe("errorPage", () => {
  it("is an uncached HTML page with the title and description, escaped", async () => {
    const response = errorPage(`<script>"x" & 'y'</script>`, "Use <b>this</b>.");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain("<title>&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt; · Connected Apps</title>");
    expect(html).toContain('<section role="alert"><h1>&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;</h1><p>Use &lt;b&gt;this&lt;/b&gt;.</p>');
    expect(html).not.toContain("<script>");
  });

  it("is in the site's layout, with a way back", async () => {
    const html = await errorPage("Unknown app", "Not registered.").text();
    expect(html).toContain('<nav aria-label="Main"><a href="/">Connected Apps</a><a href="/account">Account</a></nav>');
    expect(html).toContain('<a class="skip" href="#main">Skip to content</a>');
    expect(html).toContain('onclick="history.back()">Go back</button>');
    expect(html).toContain("prefers-color-scheme:dark");
    expect(html).not.toContain("<dl>");
  });

  const details = {
    app: { name: "CRM <Partner>", clientId: "ca_123" },
    refused: { parameter: "redirect_uri", value: "https://evil.example/cb?<x>" },
    registered: { label: "Registered redirect URIs", values: ["https://crm.example/cb", "https://crm.example/alt"] },
  };

  it("names the app and the refused value (escaped) to anyone, and what is registered only to the owner", async () => {
    const stranger = await errorPage("Unregistered redirect URI", "Stopped.", details).text();
    expect(stranger).toContain("<dt>App</dt><dd>CRM &lt;Partner&gt; <code>ca_123</code></dd>");
    expect(stranger).toContain('<dt>Refused <code>redirect_uri</code></dt><dd><code data-testid="refused-value">https://evil.example/cb?&lt;x&gt;</code></dd>');
    expect(stranger).not.toContain("https://crm.example/cb");
    expect(stranger).toContain("Only the app's developer and this server's owner can see them.");
    expect(stranger).not.toContain("/dashboard/apps/");

    const owner = await errorPage("Unregistered redirect URI", "Stopped.", details, { owner: true }).text();
    expect(owner).toContain('<ul data-testid="registered-values"><li><code>https://crm.example/cb</code></li><li><code>https://crm.example/alt</code></li></ul>');
    expect(owner).toContain('<a class="button" href="/dashboard/apps/ca_123">Open the app\'s settings</a>');
  });

  it("shortens a long refused value", async () => {
    const long = `https://rp.example/${"a".repeat(1000)}`;
    const html = await errorPage("Unregistered redirect URI", "Stopped.", { refused: { parameter: "redirect_uri", value: long } }).text();
    expect(html).toContain(`${long.slice(0, 300)}…</code>`);
    expect(html).not.toContain(long.slice(0, 301));
  });
});

describe("bindingFromCookies", () => {
  it("finds the binding secret of the request among other cookies", () => {
    expect(bindingFromCookies("a=1; ca_authz_req-1=s3cret; ca_authz_req-2=other", "req-1")).toBe("s3cret");
    expect(bindingFromCookies("ca_authz_req-2=other;ca_authz_req-1=x=y", "req-1")).toBe("x=y");
  });

  it("finds nothing without cookies, without a request id, or for another request", () => {
    expect(bindingFromCookies(null, "req-1")).toBeUndefined();
    expect(bindingFromCookies("ca_authz_req-1=s", undefined)).toBeUndefined();
    expect(bindingFromCookies("ca_authz_req-10=s; xca_authz_req-1=t", "req-1")).toBeUndefined();
  });
});
