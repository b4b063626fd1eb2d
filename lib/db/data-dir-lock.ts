import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from "node:fs";
import path from "node:path";

export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
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
