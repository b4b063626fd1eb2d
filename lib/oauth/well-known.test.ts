import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { getProjectSettings, updateProjectSettings } from "../settings";
import { discoveryDocument } from "./discovery";
import { ensureSigningKeys } from "../keys/signing-keys";
import { protectedResourceMetadata } from "./protected-resource";
import { discovery, documentResponse, jwks, protectedResource } from "./well-known";

/** The well-known documents are public and cacheable for 5 minutes, and readable by browser clients of any origin. */
const PUBLIC_HEADERS = {
  "Cache-Control": "public, max-age=300",
  "Access-Control-Allow-Origin": "*",
};

describe.each(testDatabases)("well-known documents on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const documents: [name: string, respond: () => Promise<Response>, contentType: string][] = [
    ["discovery (RFC 8414, OIDC Discovery)", async () => documentResponse(await discovery(db.oauth)), "application/json"],
    ["JWKS", async () => documentResponse(await jwks(db.oauth)), "application/jwk-set+json"],
    ["protected-resource metadata (RFC 9728)", async () => documentResponse(protectedResource(db.oauth)), "application/json"],
  ];

  // One test per document checks all its headers: the documents are built once and cached, so only the
  // first test to ask for one runs the code that builds it (what mutation testing's per-test coverage sees).
  it.each(documents)("%s: public, cacheable, CORS-open, of its content type, never no-store", async (_, respond, contentType) => {
    const response = await respond();
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toEqual(
      Object.fromEntries(Object.entries({ ...PUBLIC_HEADERS, "Content-Type": contentType }).map(([name, value]) => [name.toLowerCase(), value])),
    );
  });

  it("builds each document once, and its bytes are its text", async () => {
    expect(await discovery(db.oauth)).toBe(await discovery(db.oauth));
    expect(await jwks(db.oauth)).toBe(await jwks(db.oauth));
    expect(protectedResource(db.oauth)).toBe(protectedResource(db.oauth));
    for (const document of [await discovery(db.oauth), await jwks(db.oauth), protectedResource(db.oauth)]) {
      expect(document.bytes.toString("utf8")).toBe(document.text);
    }
  });

  it("discovery follows the registration and PAR switches at once, one document per combination", async () => {
    const actor = { type: "system" as const, id: null, label: "test" };
    const seen = new Map<string, string>();
    try {
      for (const [dcr, cimd, par] of [[true, false, false], [false, true, false], [true, true, false], [false, false, true], [false, false, false]] as const) {
        await updateProjectSettings(db.prisma, actor, { dcr_enabled: dcr, cimd_enabled: cimd, require_par: par });
        const document = await discovery(db.oauth);
        expect(JSON.parse(document.text)).toEqual(discoveryDocument(db.oauth.issuer, { dcr_enabled: dcr, cimd_enabled: cimd, require_par: par }));
        expect("registration_endpoint" in JSON.parse(document.text)).toBe(dcr);
        expect(JSON.parse(document.text).require_pushed_authorization_requests).toBe(par);
        seen.set(`${dcr} ${cimd} ${par}`, document.text);
      }
      expect(new Set(seen.values()).size).toBe(5);
    } finally {
      await updateProjectSettings(db.prisma, actor, { dcr_enabled: false, cimd_enabled: false, require_par: false });
    }
  });

  it("serves the documents of the configured issuer", async () => {
    const { issuer } = db.oauth;
    expect(JSON.parse((await discovery(db.oauth)).text)).toEqual(discoveryDocument(issuer, await getProjectSettings(db.prisma)));
    expect(JSON.parse(protectedResource(db.oauth).text)).toEqual(protectedResourceMetadata(issuer));
    const { keys } = JSON.parse((await jwks(db.oauth)).text) as { keys: { alg: string }[] };
    expect(keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
  });
});
