import { describe, expect, it } from "vitest";
import { diffSchemaAgainstMigrations } from "./migration-diff";

describe("committed migrations", () => {
  it("match prisma/schema.prisma (run `npm run db:migration -- <name>` after a schema change)", async () => {
    expect(await diffSchemaAgainstMigrations()).toBe("");
  });
});
