// A server process the crash spec owns: seeded with the admin CLI, started
// the way `npm start` does (scripts/start.mjs --no-build; the e2e launcher
// has built), killed with SIGKILL and started again on the same database.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { processTable } from "../../lib/db/process-identity";
import { END_USERS, OWNER } from "../servers.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
const outDir = path.join(root, ".test-output");

export interface CrashTarget {
  /** "PGlite" or "PostgreSQL", for titles and messages. */
  name: string;
  port: number;
  /** PostgreSQL URL with its own `?schema=`; undefined: PGlite in its own data folder. */
  databaseUrl?: string;
}

export const dataDirOf = (port: number) => path.join(outDir, `crash-data-${port}`);
export const logFileOf = (port: number) => path.join(outDir, `crash-server-${port}.log`);

/** Whether a process of group `pgid` still runs (Linux /proc; a zombie waiting to be reaped does not count). */
function groupAlive(pgid: number): boolean {
  return [...processTable().values()].some(([state, , pgrp]) => Number(pgrp) === pgid && state !== "Z" && state !== "X");
}

export class CrashServer {
  readonly origin: string;
  private child: ChildProcess | null = null;
  private readonly log: number;

  constructor(readonly target: CrashTarget) {
    this.origin = `http://localhost:${target.port}`;
    mkdirSync(outDir, { recursive: true });
    this.log = openSync(logFileOf(target.port), "w");
  }

  get dataDir(): string {
    return dataDirOf(this.target.port);
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PORT: String(this.target.port),
      ISSUER: this.origin,
      DATA_DIR: this.dataDir,
      DATABASE_URL: this.target.databaseUrl ?? "",
      // PGlite keeps its generated secret in the data folder, which must survive the crash too.
      AUTH_SECRET: this.target.databaseUrl ? "crash-postgres-secret-crash-postgres-secret" : "",
      OWNER_EMAIL: OWNER.email,
      OWNER_PASSWORD: OWNER.password,
      PROTOCOL_FAST_PATH: "",
      NODE_ENV: "production",
    };
  }

  /** A fresh database with the owner, the end users and an owner API key (returned). */
  async seed(): Promise<string> {
    rmSync(this.dataDir, { recursive: true, force: true });
    if (this.target.databaseUrl) await dropSchema(this.target.databaseUrl);
    this.admin(["create-owner", "--email", OWNER.email, "--password-stdin"], `${OWNER.password}\n`);
    for (const user of END_USERS) this.admin(["create-user", "--email", user.email, "--name", user.name, "--password-stdin"], `${user.password}\n`);
    const key = this.admin(["create-api-key", "--owner", OWNER.email, "--name", "crash"]).trim().split("\n").at(-1);
    if (!key?.startsWith("ca_key_")) throw new Error("create-api-key printed no key");
    return key;
  }

  private admin(args: string[], input?: string): string {
    const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
    return execFileSync(process.execPath, [tsx, path.join(root, "scripts", "admin.ts"), ...args], {
      cwd: root,
      env: this.env(),
      input,
      stdio: ["pipe", "pipe", this.log],
      encoding: "utf8",
    });
  }

  /** Starts the server and waits until it is healthy; returns how long that took (ms). */
  async start(): Promise<number> {
    const started = Date.now();
    writeSync(this.log, `\n--- crash spec: start at ${new Date(started).toISOString()}\n`);
    // Its own process group, so SIGKILL reaches start.mjs and the server it runs at once, as a machine or container kill would.
    this.child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs"), "--no-build"], {
      cwd: root,
      env: this.env(),
      stdio: ["ignore", this.log, this.log],
      detached: true,
    });
    const exited = new Promise<never>((_, reject) => this.child!.once("exit", (code) => reject(new Error(`the ${this.target.name} server exited (${code}) before it was healthy; see ${logFileOf(this.target.port)}`))));
    exited.catch(() => {});
    for (;;) {
      const ok = await Promise.race([fetch(`${this.origin}/api/health`).then((r) => r.ok, () => false), exited]);
      if (ok) return Date.now() - started;
      if (Date.now() - started > 120_000) throw new Error(`the ${this.target.name} server was not healthy in 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** SIGKILL to the whole process group; resolves once no process of it is left. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    writeSync(this.log, `\n--- crash spec: SIGKILL at ${new Date().toISOString()}\n`);
    process.kill(-child.pid, "SIGKILL");
    for (let i = 0; groupAlive(child.pid); i++) {
      if (i > 100) throw new Error("the killed server's process group is still alive after 10 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.child = null;
  }

  /** The pid in the PGlite lock file, or null when there is none. */
  lockHolder(): number | null {
    const file = path.join(this.dataDir, "pglite.lock");
    return existsSync(file) ? Number.parseInt(readFileSync(file, "utf8"), 10) : null;
  }

  /** Stops a still running server (the end of the test, whatever happened); returns the server's log. */
  async dispose(): Promise<string> {
    await this.kill().catch(() => {});
    closeSync(this.log);
    return readFileSync(logFileOf(this.target.port), "utf8");
  }
}

async function dropSchema(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema");
  if (!schema) throw new Error("the crash spec's PostgreSQL URL needs its own ?schema=");
  url.searchParams.delete("schema");
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
