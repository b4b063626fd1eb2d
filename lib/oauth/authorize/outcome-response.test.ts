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
    expect(html).toContain("<title>&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;</title>");
    expect(html).toContain('<main role="alert"><h1>&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;</h1><p>Use &lt;b&gt;this&lt;/b&gt;.</p></main>');
    expect(html).not.toContain("<script>");
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
