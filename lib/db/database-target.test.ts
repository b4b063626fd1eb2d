import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { databaseTarget } from ".";

const secret = "s".repeat(40);

describe("databaseTarget", () => {
  it("is the embedded PGlite in DATA_DIR without DATABASE_URL", () => {
    expect(databaseTarget(parseConfig({ DATA_DIR: "/srv/data" }))).toEqual({ kind: "pglite", dataDir: "/srv/data" });
  });

  it("is PostgreSQL with DATABASE_URL, in the schema named by ?schema= (taken out of the driver URL)", () => {
    const plain = databaseTarget(parseConfig({ DATABASE_URL: "postgres://u:p@db:5432/app", AUTH_SECRET: secret }));
    expect(plain).toEqual({ kind: "postgres", url: "postgres://u:p@db:5432/app" });
    const scoped = databaseTarget(
      parseConfig({ DATABASE_URL: "postgres://u:p@db:5432/app?sslmode=require&schema=tenant_a", AUTH_SECRET: secret }),
    );
    expect(scoped).toEqual({ kind: "postgres", url: "postgres://u:p@db:5432/app?sslmode=require", schema: "tenant_a" });
  });
});
