import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createApp } from "../clients/apps";
import { createConnection } from "./connections";
import { signInMethodsOfApp } from "./offered-by-app";

const actor = { type: "system" as const, id: null, label: "test" };
const connection = (slug: string, extra: Record<string, unknown> = {}) => ({ slug, kind: "oidc", name: slug, issuer: "https://idp.example", client_id: "c", client_secret: "s", ...extra });

describe.each(testDatabases)("the sign-in methods an app's page lists, on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("are the password form and the connections the app offers: app-level only for the first-party apps picked", async () => {
    const app = (type: string, name: string) => createApp(db.prisma, actor, { client_type: type, name, redirect_uris: ["https://app.example/cb"] }, "api");
    const first = (await app("first_party", "F")).app.client_id;
    const third = (await app("third_party", "T")).app.client_id;
    await createConnection(db.prisma, actor, "https://id.example.com", connection("everyone"));
    await createConnection(db.prisma, actor, "https://id.example.com", connection("staff", { level: "app", apps: [first] }));
    expect(await signInMethodsOfApp(db.prisma, first)).toEqual({ password: true, connections: [expect.objectContaining({ slug: "everyone" }), expect.objectContaining({ slug: "staff" })] });
    expect(await signInMethodsOfApp(db.prisma, third)).toEqual({ password: true, connections: [expect.objectContaining({ slug: "everyone" })] });
    expect(await signInMethodsOfApp(db.prisma, "ca_nobody")).toBeNull();
  });
});
