// Prisma CLI configuration. The CLI never touches a real database here: it
// runs the JS schema engine against in-memory PGlite instances, so
// `prisma generate` and `prisma migrate diff` (behind `npm run db:migration`)
// work offline and download no engine binary. The app applies committed
// migrations itself (lib/db/migrate.ts).
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

const inMemoryPGlite: SqlMigrationAwareDriverAdapterFactory = {
  provider: "postgres",
  adapterName: "pglite-prisma-adapter",
  connect: () => new PrismaPGlite(new PGlite()).connect(),
  async connectToShadowDb() {
    const shadow = new PGlite();
    const adapter = await new PrismaPGlite(shadow).connect();
    const executeRaw = adapter.executeRaw.bind(adapter);
    // The schema engine replays each migration file as one parameterless
    // executeRaw; PGlite's extended protocol takes one statement per call,
    // so such scripts go through the simple protocol instead.
    adapter.executeRaw = async (query) => {
      if (query.args.length > 0) return executeRaw(query);
      await shadow.exec(query.sql);
      return 0;
    };
    return adapter;
  },
};

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => inMemoryPGlite,
});
