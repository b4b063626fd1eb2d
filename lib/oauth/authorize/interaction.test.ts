import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createApp } from "../../clients/apps";
import { hashToken } from "../../crypto/tokens";
import { appNameForReturnPath, loadPendingRequest } from "./interaction";
import type { AuthorizationParams } from "./request";

/** A pending request id with 0, 9, a and f in every group: each edge of the [0-9a-f] class. */
const ID = "09af90fa-09af-f90a-a09f-09af90fa0f9a";
const SECRET = "binding-secret";

/**
 * Spellings of ID that are not the canonical lowercase UUID. PostgreSQL would
 * read most of them as ID itself (it accepts upper case, braces, no hyphens,
 * a hyphen after any group of four digits) and fail on the rest, so each
 * must be turned away before the query: not found, not an error.
 */
const NOT_CANONICAL = [
  ["upper case", ID.toUpperCase()],
  ["one upper-case digit", `${ID.slice(0, -1)}A`],
  ["braces", `{${ID}}`],
  ["no hyphens", ID.replaceAll("-", "")],
  ["hyphens after other groups of four", "09af-90fa09af-f90a-a09f09af-90fa0f9a"],
  ["a hyphen after every four digits", ID.replaceAll("-", "").replace(/(.{4})(?!$)/g, "$1-")],
  ["a leading character", `0${ID}`],
  ["a trailing character", `${ID}0`],
  ["a leading space", ` ${ID}`],
  ["a trailing newline", `${ID}\n`],
  ["a non-hex letter", `g${ID.slice(1)}`],
  ...[0, 1, 2, 3].map((hyphen) => [`hyphen ${hyphen + 1} left out`, ID.split("-").map((g, i) => (i === hyphen ? g : `${g}-`)).join("").replace(/-$/, "")]),
  ...[0, 1, 2, 3, 4].flatMap((group) => {
    const groups = ID.split("-");
    const shorter = groups.map((g, i) => (i === group ? g.slice(1) : g)).join("-");
    const longer = groups.map((g, i) => (i === group ? `${g}0` : g)).join("-");
    return [
      [`group ${group + 1} one digit short`, shorter],
      [`group ${group + 1} one digit long`, longer],
    ];
  }),
] as [string, string][];

describe.each(testDatabases)("pending authorization requests on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    const { app } = await createApp(
      db.prisma,
      { type: "system", id: null, label: "test" },
      { client_type: "third_party", name: "Interaction app", redirect_uris: ["https://rp.example/cb"] },
      "api",
    );
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } });
    const params: AuthorizationParams = {
      clientId: app.client_id, redirectUri: "https://rp.example/cb", redirectUriSent: true, scopes: ["openid"], prompt: [], resources: [],
    };
    await db.prisma.authorizationRequest.create({
      data: { id: ID, appId: row.id, params, bindingHash: hashToken(SECRET), expiresAt: new Date(Date.now() + 3600_000) },
    });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("loads a pending request by its id, with its binding secret", async () => {
    expect(await loadPendingRequest(db.oauth, ID, SECRET)).toMatchObject({ id: ID, params: { scopes: ["openid"] } });
    expect(await loadPendingRequest(db.oauth, ID, "another secret")).toBeNull();
    expect(await appNameForReturnPath(db.oauth, `/oauth2/authorize/resume?request=${ID}`)).toBe("Interaction app");
  });

  it.each(NOT_CANONICAL)("does not look up an id with %s", async (_, id) => {
    expect(await loadPendingRequest(db.oauth, id, SECRET)).toBeNull();
    expect(await appNameForReturnPath(db.oauth, `/oauth2/authorize/resume?request=${id}`)).toBeNull();
  });
});
