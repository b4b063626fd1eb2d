import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DatabaseLockedError, lockDataDir } from "./data-dir-lock";
import { openDatabase } from "./open";
import { bootId, processStartTime } from "./process-identity";

const ROOT = path.resolve(import.meta.dirname, "../..");
const LOCK_MODULE = path.join(ROOT, "lib/db/data-dir-lock.ts");
const OPEN_MODULE = path.join(ROOT, "lib/db/open.ts");

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  pid: number;
}

/** Runs an ES module snippet in a separate Node process (TypeScript through tsx). */
function runNode(code: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, pid: child.pid! }));
  });
}

/** What a separate process gets when it tries the lock (or opening the database) on dir. */
async function tryInChild(what: "lock" | "open", dir: string): Promise<{ ok: boolean; name?: string; message?: string }> {
  const attempt =
    what === "lock"
      ? `const { lockDataDir } = await import(${JSON.stringify(LOCK_MODULE)});
         lockDataDir(dir)();`
      : `const { openDatabase } = await import(${JSON.stringify(OPEN_MODULE)});
         await (await openDatabase({ kind: "pglite", dataDir: dir })).close();`;
  const result = await runNode(`
    const dir = ${JSON.stringify(dir)};
    try {
      ${attempt}
      console.log(JSON.stringify({ ok: true }));
    } catch (error) {
      console.log(JSON.stringify({ ok: false, name: error.name, message: error.message }));
    }
  `);
  const line = result.stdout.trim().split("\n").at(-1);
  if (!line) throw new Error(`child printed nothing (exit ${result.code}): ${result.stderr}`);
  return JSON.parse(line);
}

const LINUX = process.platform === "linux";

/** The lock file this process writes: on Linux its start time (field 22 of /proc/self/stat) and boot id too. */
function ourLock(): string {
  if (!LINUX) return `${process.pid}\n`;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  return `${process.pid}\nstart ${start}\nboot ${boot}\n`;
}

let dir: string;
let lockFile: string;
let sleeper: ChildProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "data-dir-lock-test-"));
  lockFile = path.join(dir, "pglite.lock");
});
afterEach(() => {
  sleeper?.kill();
  sleeper = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A live process unrelated to the database: what a reused pid names. */
function startSleeper(): number {
  sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
  return sleeper.pid!;
}

describe("lockDataDir", () => {
  it("creates pglite.lock holding our pid, and release removes it", () => {
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile, "utf8")).toBe(ourLock());
    release();
    expect(existsSync(lockFile)).toBe(false);
    release(); // twice is harmless
  });

  it("creates the data folder if needed", () => {
    const nested = path.join(dir, "a", "b");
    const release = lockDataDir(nested);
    expect(readFileSync(path.join(nested, "pglite.lock"), "utf8")).toBe(ourLock());
    release();
  });

  it("refuses another process while we hold it, and lets it in once released", async () => {
    const release = lockDataDir(dir);
    try {
      const refused = await tryInChild("lock", dir);
      expect(refused).toMatchObject({ ok: false, name: DatabaseLockedError.name });
      expect(refused.message).toContain("in use by another process");
      expect(refused.message).toContain(`pid ${process.pid}`);
      // Our lock is untouched.
      expect(readFileSync(lockFile, "utf8")).toBe(ourLock());
    } finally {
      release();
    }
    expect(await tryInChild("lock", dir)).toEqual({ ok: true });
  });

  it("takes over a lock left by a process that no longer runs", async () => {
    const dead = await runNode("");
    expect(dead.code).toBe(0);
    writeFileSync(lockFile, String(dead.pid));

    const release = lockDataDir(dir);
    expect(readFileSync(lockFile, "utf8")).toBe(ourLock());
    release();
    expect(existsSync(lockFile)).toBe(false);
  });

  // A server killed with SIGKILL together with its parent (npm start) stays a zombie until init reaps it.
  it.runIf(process.platform === "linux")("takes over a lock left by a process that exited but was not reaped yet (a zombie)", async () => {
    // sh starts a child that exits shortly, then becomes `sleep`, which never reaps it.
    const parent = spawn("sh", ["-c", "sleep 0.2 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once("data", (d: Buffer) => resolve(d.toString()))));
      await expect.poll(() => readFileSync(`/proc/${zombie}/stat`, "utf8").split(") ")[1]?.[0], { timeout: 5_000 }).toBe("Z");
      writeFileSync(lockFile, String(zombie));

      const release = lockDataDir(dir);
      expect(readFileSync(lockFile, "utf8").split("\n")[0]).toBe(String(process.pid));
      release();
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("takes over a lock file that holds no pid", () => {
    writeFileSync(lockFile, "garbage");
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile, "utf8")).toBe(ourLock());
    release();
  });

  it.each([
    ["zero", "0"],
    ["a negative pid", "-1\n"],
    ["an empty file", ""],
    ["a pid with trailing junk", `${process.pid}abc`],
    ["no first line", `\nstart 1\nboot x\n`],
  ])("takes over a corrupt lock file: %s", (_name, text) => {
    // 0 and -1 would make process.kill(pid, 0) test a process group, which is alive.
    writeFileSync(lockFile, text);
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile, "utf8")).toBe(ourLock());
    release();
  });

  it("waits for an empty lock file that another process is about to write", () => {
    const pid = startSleeper();
    const other = `${pid}\n`;
    // The other process has created the file ("wx") and writes it through its descriptor while we pause.
    const fd = openSync(lockFile, "wx");
    const wait = Atomics.wait;
    Atomics.wait = ((...args: Parameters<typeof Atomics.wait>) => {
      writeSync(fd, other);
      return wait(...args);
    }) as typeof Atomics.wait;
    try {
      expect(() => lockDataDir(dir)).toThrow(`pid ${pid}`);
    } finally {
      Atomics.wait = wait;
      closeSync(fd);
    }
    expect(readFileSync(lockFile, "utf8")).toBe(other);
  });

  it("still honours a lock in the older format (the pid alone) whose process runs", () => {
    const pid = startSleeper();
    writeFileSync(lockFile, String(pid));
    expect(() => lockDataDir(dir)).toThrow(`pid ${pid}`);
    expect(readFileSync(lockFile, "utf8")).toBe(String(pid));
  });

  it("takes over an older-format lock naming our own pid (an earlier process had it)", () => {
    writeFileSync(lockFile, String(process.pid));
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile, "utf8")).toBe(ourLock());
    release();
  });

  it("release stops listening for process exit", () => {
    const before = process.listenerCount("exit");
    const release = lockDataDir(dir);
    expect(process.listenerCount("exit")).toBe(before + 1);
    release();
    expect(process.listenerCount("exit")).toBe(before);
  });

  it("refuses a stale lock that another process took over at the same moment", () => {
    writeFileSync(lockFile, "garbage");
    // Another process replaces the lock while we pause to confirm our takeover.
    const wait = Atomics.wait;
    Atomics.wait = ((...args: Parameters<typeof Atomics.wait>) => {
      writeFileSync(lockFile, "1");
      return wait(...args);
    }) as typeof Atomics.wait;
    try {
      expect(() => lockDataDir(dir)).toThrow(DatabaseLockedError);
    } finally {
      Atomics.wait = wait;
    }
    expect(readFileSync(lockFile, "utf8")).toBe("1");
  });

  it("release leaves a lock that another process has taken since", () => {
    const release = lockDataDir(dir);
    writeFileSync(lockFile, "1");
    release();
    expect(readFileSync(lockFile, "utf8")).toBe("1");
  });
});

describe.runIf(LINUX)("lockDataDir against a reused pid (Linux: start time and boot id)", () => {
  it("takes over a lock whose pid is now a live, unrelated process", () => {
    const pid = startSleeper();
    expect(processStartTime(pid)).toMatch(/^\d+$/);
    // The pid is alive, but its process started at another tick than the one that wrote the lock.
    writeFileSync(lockFile, `${pid}\nstart 1\nboot ${bootId()}\n`);
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile, "utf8")).toBe(ourLock());
    release();
  });

  it("refuses a lock naming a live process with its start time", () => {
    const pid = startSleeper();
    const theirs = `${pid}\nstart ${processStartTime(pid)}\nboot ${bootId()}\n`;
    writeFileSync(lockFile, theirs);
    expect(() => lockDataDir(dir)).toThrow(DatabaseLockedError);
    expect(readFileSync(lockFile, "utf8")).toBe(theirs);
  });

  it("refuses a lock naming this very process with its start time, with the readable message", () => {
    writeFileSync(lockFile, ourLock());
    expect(() => lockDataDir(dir)).toThrow(
      `The embedded database in ${dir} is in use by another process (pid ${process.pid}). ` +
        "Stop that process first, or use PostgreSQL (DATABASE_URL) to run several processes.",
    );
    expect(readFileSync(lockFile, "utf8")).toBe(ourLock());
  });

  it("takes over a lock from another boot, even if its pid and start time match a live process", () => {
    const pid = startSleeper();
    writeFileSync(lockFile, `${pid}\nstart ${processStartTime(pid)}\nboot 00000000-0000-4000-8000-000000000000\n`);
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile, "utf8")).toBe(ourLock());
    release();
  });
});

describe("the embedded database and its lock", () => {
  it("a second process cannot open a PGlite data folder that is open, with a clear error", async () => {
    const db = await openDatabase({ kind: "pglite", dataDir: dir });
    try {
      expect(readFileSync(lockFile, "utf8")).toBe(ourLock());
      const refused = await tryInChild("open", dir);
      expect(refused.ok).toBe(false);
      expect(refused.name).toBe(DatabaseLockedError.name);
      expect(refused.message).toContain("in use by another process");
      // Still ours and still working.
      expect(await db.prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
    expect(existsSync(lockFile)).toBe(false);
  });
});
