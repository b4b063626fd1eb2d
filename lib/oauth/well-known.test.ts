import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase, testDatabases } from "@/tests/databases";
import { getConfig } from "../config";
import type { Database } from "../db";
import { getProjectSettings } from "../settings";
import { discoveryDocument } from "./discovery";
import { ensureSigningKeys } from "./keys/signing-keys";
import { protectedResourceMetadata } from "./protected-resource";
import { discoveryResponse, jwksResponse, protectedResourceResponse } from "./well-known";

// The handlers read the process's database; here it is the test database.
const current = vi.hoisted(() => ({ db: undefined as { prisma: unknown } | undefined }));
vi.mock("../db", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../db")>()),
  getPrisma: async () => current.db!.prisma,
}));

/** The well-known documents are public and cacheable for 5 minutes, and readable by browser clients of any origin. */
const PUBLIC_HEADERS: [header: string, value: string][] = [
  ["Cache-Control", "public, max-age=300"],
  ["Access-Control-Allow-Origin", "*"],
];

describe.each(testDatabases)("well-known documents on $name", ({ target }) => {
  let db: Database & { dispose(): Promise<void> };
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    current.db = db;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const documents: [name: string, respond: () => Promise<Response>, contentType: string][] = [
    ["discovery (RFC 8414, OIDC Discovery)", discoveryResponse, "application/json"],
    ["JWKS", jwksResponse, "application/jwk-set+json"],
    ["protected-resource metadata (RFC 9728)", async () => protectedResourceResponse(), "application/json"],
  ];

  describe.each(documents)("%s", (_, respond, contentType) => {
    it.each(PUBLIC_HEADERS)("sends %s: %s", async (header, value) => {
      expect((await respond()).headers.get(header)).toBe(value);
    });

    it(`is ${contentType}, and not no-store`, async () => {
      const response = await respond();
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe(contentType);
      expect(response.headers.get("Pragma")).toBeNull();
    });
  });

  it("serves the documents of the configured issuer", async () => {
    const { issuer } = getConfig();
    expect(await (await discoveryResponse()).json()).toEqual(discoveryDocument(issuer, await getProjectSettings(db.prisma)));
    expect(await protectedResourceResponse().json()).toEqual(protectedResourceMetadata(issuer));
    const { keys } = (await (await jwksResponse()).json()) as { keys: { alg: string }[] };
    expect(keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
  });
});
