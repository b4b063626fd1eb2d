import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createApp } from "../clients/apps";
import { createMachineClient } from "../clients/machine-clients";
import { CLIENT_TYPES } from "../clients/policy";
import { appLevelConnectionChoices } from "./app-choices";

const actor = { type: "system" as const, id: null, label: "test" };

describe.each(testDatabases)("the apps an app-level connection may name, on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("are the first-party apps (policy table), by name; never third-party apps or machine clients", async () => {
    const ids: Record<string, string> = {};
    for (const type of CLIENT_TYPES) {
      const uri = type.endsWith("_public") ? "http://127.0.0.1/cb" : "https://app.example/cb";
      ids[type] = (await createApp(db.prisma, actor, { client_type: type, name: `App ${type}`, redirect_uris: [uri] }, "api")).app.client_id;
    }
    await createMachineClient(db.prisma, actor, { name: "A machine" }, "api");
    expect(await appLevelConnectionChoices(db.prisma)).toEqual([
      { clientId: ids.first_party, name: "App first_party" },
      { clientId: ids.first_party_public, name: "App first_party_public" },
    ]);
  });
});
