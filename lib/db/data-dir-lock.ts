import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from "node:fs";
import path from "node:path";

export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
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
 * A zombie has exited but was not reaped yet; signal 0 still reaches it.
 * A server killed with its parent is one until init reaps the orphan
 * (seconds on some hosts), and a restart in that time must not be refused.
 * Linux says so in /proc; elsewhere a zombie counts as running.
 */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(/* turbopackIgnore: true */ `/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  // "pid (command) state …": the command may hold spaces and parentheses.
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state === "Z" || state === "X";
}

/**
 * Takes an exclusive, process-wide lock on the embedded database folder:
 * PGlite is single-process, and two processes writing one data folder
 * corrupt it. A lock left by a process that no longer runs is taken over.
 * Returns the function that releases it (also run at process exit).
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(/* turbopackIgnore: true */ dir, "pglite.lock");
  const me = String(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeFileSync(fd, me);
      closeSync(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(file, "utf8"), 10);
      if (Number.isSafeInteger(holder) && holder !== process.pid && isAlive(holder)) throw lockedError(dir, holder);
      rmSync(file, { force: true });
      continue;
    }
    if (attempt > 0) {
      // Two processes taking over one stale lock can each delete and
      // recreate it; whoever's pid is in the file after a pause holds it.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      const holder = readFileSync(file, "utf8");
      if (holder !== me) throw lockedError(dir, Number(holder));
    }
    const release = () => {
      process.off("exit", release);
      try {
        if (readFileSync(file, "utf8") === me) rmSync(file);
      } catch {
        // already gone
      }
    };
    process.on("exit", release);
    return release;
  }
  throw new DatabaseLockedError(`Could not lock ${file}`);
}

function lockedError(dir: string, pid: number): DatabaseLockedError {
  return new DatabaseLockedError(
    `The embedded database in ${dir} is in use by another process (pid ${pid}). ` +
      "Stop that process first, or use PostgreSQL (DATABASE_URL) to run several processes.",
  );
}
