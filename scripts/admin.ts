// `npm run admin -- <command> [options]`: seed and manage an instance from a
// shell or a script. Uses the configured database (DATABASE_URL, else the
// embedded one in DATA_DIR — stop the server first: PGlite is single-process).
import "./load-env";
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { runAdminCommand, USAGE } from "../lib/admin/commands";
import { getConfig } from "../lib/config";
import { databaseTarget, openMigratedDatabase } from "../lib/db";

const [command, ...rest] = process.argv.slice(2);
if (!command || command === "help" || command === "--help") {
  console.log(USAGE);
  process.exit(command ? 0 : 2);
}

let exitCode = 0;
try {
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      "password-stdin": { type: "boolean" },
      name: { type: "string" },
      owner: { type: "string" },
      role: { type: "string" },
      permissions: { type: "string" },
    },
    strict: true,
  });
  const password = values["password-stdin"] ? await readStdinLine() : values.password;
  const db = await openMigratedDatabase(databaseTarget(getConfig()), () => {});
  try {
    console.log(await runAdminCommand(db.prisma, command, { ...values, password }));
  } finally {
    await db.close();
  }
} catch (error) {
  const message = error instanceof ZodError ? error.issues.map((i) => i.message).join("; ") : (error as Error).message;
  console.error(`admin ${command}: ${message}`);
  exitCode = 1;
}
process.exit(exitCode);

async function readStdinLine(): Promise<string> {
  let data = "";
  for await (const chunk of process.stdin) data += chunk;
  return data.split(/\r?\n/)[0] ?? "";
}
