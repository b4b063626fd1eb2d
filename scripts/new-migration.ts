// `npm run db:migration -- <name>`: writes the next migration folder from the
// difference between prisma/schema.prisma and the committed migrations.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffSchemaAgainstMigrations, MIGRATIONS_DIR } from "./migration-diff";

const name = process.argv[2] ?? "";
if (!/^[a-z0-9][a-z0-9_]{0,62}$/.test(name)) {
  console.error("usage: npm run db:migration -- <name>   (lower-case letters, digits and _; e.g. add_connected_apps)");
  process.exit(2);
}

const sql = await diffSchemaAgainstMigrations();
if (!sql) {
  console.log("prisma/schema.prisma already matches the migrations; nothing to write.");
  process.exit(0);
}

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
mkdirSync(dir);
writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql — review it, then commit it with the schema.`);
execFileSync("npm", ["run", "-s", "db:generate"], { stdio: "inherit" });
