import { scheduleActivityFlush } from "./activity/counter";
import { bootstrapOwner } from "./auth/bootstrap";
import { scheduleCimdRefresh } from "./clients/cimd";
import { getConfig, type Config } from "./config";
import { getDb } from "./db";
import { getOAuthContext } from "./oauth-context";
import { schedulePurge } from "./oauth/housekeeping";
import { ensureSigningKeys } from "./keys/signing-keys";
import { onShutdown } from "./shutdown";

// Once per process: server.ts runs it before it listens, and Next's
// instrumentation hook runs it again when Next prepares (lazily, on its first request).
const STARTED = Symbol.for("connected-apps.started");
type Holder = { [STARTED]?: Promise<void> };

/**
 * Server start-up: open and migrate the database, then bootstrap the first
 * owner. A server that cannot do this exits with the reason rather than
 * serving errors.
 */
export function startServer(): Promise<void> {
  const holder = globalThis as Holder;
  holder[STARTED] ??= start();
  return holder[STARTED];
}

/** Says where a derived issuer came from: clients elsewhere need ISSUER set to the address they use. */
function issuerNote(config: Config): string {
  return config.issuerFromPort ? ` (ISSUER unset: derived from PORT ${config.listen.port}; set ISSUER to the URL clients use to reach this server)` : "";
}

async function start(): Promise<void> {
  try {
    const config = getConfig();
    const db = await getDb();
    await ensureSigningKeys(db.prisma);
    const result = await bootstrapOwner(db.prisma, config);
    const ctx = await getOAuthContext();
    schedulePurge(ctx);
    onShutdown(scheduleActivityFlush(ctx.activity));
    scheduleCimdRefresh(db.prisma);
    console.log(`connected-apps: database ready (${db.kind}), issuer ${config.issuer}${issuerNote(config)}`);
    if (result.kind === "owner-from-env") console.log(`connected-apps: owner account ${result.email} is ready`);
    if (result.kind === "setup-url") {
      console.log(
        "connected-apps: no owner account exists yet. Open this one-time URL (valid 24 hours) to create it:\n" +
          `\n    ${result.url}\n`,
      );
    }
  } catch (error) {
    console.error(`connected-apps: cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
