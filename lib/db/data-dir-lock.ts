import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bootId, isZombie, processStartTime } from "./process-identity";

export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
}

/** The process a lock file names: its pid and, where /proc tells them, its start time and boot. */
interface LockHolder {
  pid: number;
  startTime?: string;
  bootId?: string;
}

/**
 * Takes an exclusive, process-wide lock on the embedded database folder:
 * PGlite is single-process, and two processes writing one data folder
 * corrupt it. A lock left by a process that no longer runs is taken over,
 * also when its pid now belongs to another process (see holdsLock).
 * Returns the function that releases it (also run at process exit).
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(/* turbopackIgnore: true */ dir, "pglite.lock");
  const me = formatHolder({ pid: process.pid, startTime: processStartTime(process.pid), bootId: bootId() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeFileSync(fd, me);
      closeSync(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const text = readLock(file);
      const holder = text === undefined ? undefined : parseHolder(text);
      if (holder && holdsLock(holder)) throw lockedError(dir, holder.pid);
      rmSync(file, { force: true });
      continue;
    }
    if (attempt > 0) {
      // Two processes taking over one stale lock can each delete and
      // recreate it; whoever's pid is in the file after a pause holds it.
      pause();
      const holder = readLock(file);
      if (holder !== me) throw lockedError(dir, holder === undefined ? undefined : parseHolder(holder)?.pid);
    }
    const release = () => {
      process.off("exit", release);
      try {
        if (readLock(file) === me) rmSync(file, { force: true });
      } catch {
        // unreadable: not ours to remove
      }
    };
    process.on("exit", release);
    return release;
  }
  throw new DatabaseLockedError(`Could not lock ${file}`);
}

/**
 * Whether the process a lock names may still be using the folder. A pid
 * alone is not enough: in a container the pids restart from 1 on every
 * start, so a lock left by a crash often names a live, unrelated process.
 * Where /proc tells them (Linux) the lock also records its process's start
 * time and the boot, and a live pid started at another time, or a lock
 * from another boot, is stale. Without them (macOS, Windows, a lock file
 * written by a version before these fields) a live pid holds the lock.
 */
function holdsLock(holder: LockHolder): boolean {
  const boot = bootId();
  if (holder.bootId && boot && holder.bootId !== boot) return false;
  if (!isAlive(holder.pid)) return false;
  const start = holder.startTime && processStartTime(holder.pid);
  if (start) return start === holder.startTime;
  // Our own pid in a lock without a start time was written by an earlier
  // process (we write a start time wherever we can read one).
  return holder.pid !== process.pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

/**
 * The lock file's text: the pid alone on the first line, which is all an
 * earlier version writes and all it reads (it parses the leading integer,
 * so it still honours this format), then `start <ticks>` and `boot <uuid>`
 * lines where known.
 */
function formatHolder(holder: LockHolder): string {
  let text = `${holder.pid}\n`;
  if (holder.startTime) text += `start ${holder.startTime}\n`;
  if (holder.bootId) text += `boot ${holder.bootId}\n`;
  return text;
}

/** The holder a lock file names, or undefined for text no process of ours wrote (corrupt, truncated). */
function parseHolder(text: string): LockHolder | undefined {
  const [first = "", ...rest] = text.split("\n");
  // A pid of 0 or below would make process.kill test a process group.
  if (!/^\s*[1-9]\d*\s*$/.test(first)) return undefined;
  const holder: LockHolder = { pid: Number(first) };
  if (!Number.isSafeInteger(holder.pid)) return undefined;
  for (const line of rest) {
    const [key, value] = line.split(" ");
    if (key === "start" && value) holder.startTime = value;
    else if (key === "boot" && value) holder.bootId = value;
  }
  return holder;
}

/**
 * The lock file's text, or undefined if it is gone. An empty file may be
 * one another process has just created and not yet written: read it again
 * after a pause before calling it corrupt.
 */
function readLock(file: string): string | undefined {
  try {
    const text = readFileSync(file, "utf8");
    if (text !== "") return text;
    pause();
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function pause(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
}

function lockedError(dir: string, pid: number | undefined): DatabaseLockedError {
  return new DatabaseLockedError(
    `The embedded database in ${dir} is in use by another process (pid ${pid ?? "unknown"}). ` +
      "Stop that process first, or use PostgreSQL (DATABASE_URL) to run several processes.",
  );
}
