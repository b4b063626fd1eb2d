import { describe, expect, it } from "vitest";
import { readClientCredentials } from "./client-auth";
import { OAuthError } from "./oauth-error";

// readClientCredentials is pure; client-auth.test.ts (which opens databases for authenticateClient) has a few more cases.

/** A Basic header carrying `raw` as is (no form-encoding), so tests control every byte. */
const rawBasic = (raw: string, scheme = "Basic") => `${scheme} ${Buffer.from(raw, "utf8").toString("base64")}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const BASIC_CHALLENGE = 'Basic realm="oauth2"';

/** The OAuthError `fn` throws, as the parts a client sees. */
function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    const err = e as OAuthError;
    return { code: err.code, status: err.status, description: err.description, challenge: err.options.wwwAuthenticate };
  }
  throw new Error("expected an OAuthError, got none");
}

const MALFORMED_BASIC = { code: "invalid_client", status: 401, description: "Malformed Basic credentials", challenge: BASIC_CHALLENGE };

describe("readClientCredentials: client_secret_basic", () => {
  it("reads the id and secret", () => {
    expect(readClientCredentials(rawBasic("ca_abc:s3cret"), form({}))).toEqual({
      clientId: "ca_abc",
      secret: "s3cret",
      method: "client_secret_basic",
    });
  });

  it("splits at the first colon: the secret may contain colons", () => {
    expect(readClientCredentials(rawBasic("ca_abc:a:b:"), form({}))).toMatchObject({ clientId: "ca_abc", secret: "a:b:" });
  });

  it("form-decodes both parts (RFC 6749 §2.3.1): + is a space, %3A a colon, %2B a plus", () => {
    expect(readClientCredentials(rawBasic("ca%3Ax+y:p+q%2Br%3As%25"), form({}))).toMatchObject({
      clientId: "ca:x y",
      secret: "p q+r:s%",
    });
    expect(readClientCredentials(rawBasic("ca_%C3%A9:%E2%82%AC"), form({}))).toMatchObject({ clientId: "ca_é", secret: "€" });
  });

  it("accepts the scheme name in any case and surrounding spaces in the credentials", () => {
    for (const scheme of ["basic", "BASIC", "bAsIc"]) {
      expect(readClientCredentials(rawBasic("ca_abc:s", scheme), form({})), scheme).toMatchObject({
        clientId: "ca_abc",
        method: "client_secret_basic",
      });
    }
    const padded = `Basic   ${Buffer.from("ca_abc:s").toString("base64")}  `;
    expect(readClientCredentials(padded, form({}))).toMatchObject({ clientId: "ca_abc", secret: "s" });
  });

  it("reads an empty secret (authentication then fails, not parsing)", () => {
    expect(readClientCredentials(rawBasic("ca_abc:"), form({}))).toEqual({ clientId: "ca_abc", secret: "", method: "client_secret_basic" });
  });

  it("refuses malformed credentials with invalid_client and the Basic challenge", () => {
    const malformed: [string, string][] = [
      ["an empty client id", rawBasic(":secret")],
      ["an empty client id and secret", rawBasic(":")],
      ["a NUL in the client id", rawBasic("ca_a\u0000b:secret")],
      ["a form-encoded NUL in the client id", rawBasic("ca_a%00b:secret")],
      ["a NUL in the secret", rawBasic("ca_abc:sec\u0000ret")],
      ["a form-encoded NUL in the secret", rawBasic("ca_abc:sec%00ret")],
      ["a NUL as the whole secret", rawBasic("ca_abc:%00")],
      ["no colon", rawBasic("ca_abc")],
      ["nothing at all", "Basic "],
      ["an invalid percent-encoding in the id", rawBasic("ca_%zz:secret")],
      ["an invalid percent-encoding in the secret", rawBasic("ca_abc:%E2%82")],
      ["not base64", "Basic !!!"],
    ];
    for (const [what, header] of malformed) expect(refusal(() => readClientCredentials(header, form({}))), what).toEqual(MALFORMED_BASIC);
  });

  it("refuses Basic together with client_secret in the form, even an empty one (RFC 6749 §2.3)", () => {
    for (const secret of ["s3cret", ""]) {
      expect(refusal(() => readClientCredentials(rawBasic("ca_abc:s3cret"), form({ client_secret: secret })))).toEqual({
        code: "invalid_request",
        status: 400,
        description: "Use one client authentication method, not Basic and client_secret together",
        challenge: undefined,
      });
    }
  });

  it("takes a form client_id equal to the Basic one, and refuses a different one", () => {
    expect(readClientCredentials(rawBasic("ca_abc:s"), form({ client_id: "ca_abc" }))).toEqual({
      clientId: "ca_abc",
      secret: "s",
      method: "client_secret_basic",
    });
    expect(readClientCredentials(rawBasic("ca%3Ax:s"), form({ client_id: "ca:x" }))).toMatchObject({ clientId: "ca:x" });
    for (const other of ["ca_abd", "CA_ABC", "ca_abc ", ""]) {
      expect(refusal(() => readClientCredentials(rawBasic("ca_abc:s"), form({ client_id: other }))), other).toEqual({
        code: "invalid_request",
        status: 400,
        description: "client_id does not match the Basic credentials",
        challenge: undefined,
      });
    }
  });
});

describe("readClientCredentials: form methods", () => {
  it("reads client_secret_post", () => {
    expect(readClientCredentials(null, form({ client_id: "ca_abc", client_secret: "s3cret" }))).toEqual({
      clientId: "ca_abc",
      secret: "s3cret",
      method: "client_secret_post",
    });
    // An empty client_secret is still client_secret_post (and fails authentication), not none.
    expect(readClientCredentials(null, form({ client_id: "ca_abc", client_secret: "" }))).toEqual({
      clientId: "ca_abc",
      secret: "",
      method: "client_secret_post",
    });
  });

  it("reads none (client_id only)", () => {
    expect(readClientCredentials(null, form({ client_id: "ca_abc" }))).toEqual({ clientId: "ca_abc", secret: null, method: "none" });
  });

  it("ignores an Authorization header of another scheme, or Basic without its space", () => {
    for (const header of ["Bearer abc", `Bearer basic ${Buffer.from("ca_x:s").toString("base64")}`, "Basic", `Basic${Buffer.from("ca_x:s").toString("base64")}`, `Digest ${Buffer.from("ca_x:s").toString("base64")}`]) {
      expect(readClientCredentials(header, form({ client_id: "ca_abc" })), header).toEqual({ clientId: "ca_abc", secret: null, method: "none" });
    }
  });

  it("refuses a request without client_id (or with an empty one), without a Basic challenge", () => {
    const missing = {
      code: "invalid_client",
      status: 401,
      description: "Client authentication is required (client_id)",
      challenge: undefined,
    };
    expect(refusal(() => readClientCredentials(null, form({})))).toEqual(missing);
    expect(refusal(() => readClientCredentials(null, form({ client_id: "" })))).toEqual(missing);
    expect(refusal(() => readClientCredentials(null, form({ client_secret: "s" })))).toEqual(missing);
    expect(refusal(() => readClientCredentials("Bearer abc", form({})))).toEqual(missing);
  });
});
