// `npm run db:migrate`: applies pending migrations to the configured database
// (DATABASE_URL, else the embedded one in DATA_DIR) and exits. The server
// does the same at start-up; this is for deploy pipelines.
import "./load-env";
import { getConfig } from "../lib/config";
import { databaseTarget, openMigratedDatabase } from "../lib/db";

try {
  const applied: string[] = [];
  const db = await openMigratedDatabase(databaseTarget(getConfig()), (m) => applied.push(m));
  await db.close();
  console.log(applied.length ? applied.join("\n") : "database is up to date");
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
}
