import { readFileSync } from "node:fs";

/**
 * The start time of process `pid` in clock ticks since boot (field 22 of
 * /proc/<pid>/stat, proc(5)), or undefined where there is no /proc (macOS,
 * Windows) or no such process. With the pid it names one run of a process:
 * a later process given the same pid starts at another tick.
 */
export function processStartTime(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  // Field 2, the command name, is in parentheses and may hold spaces and
  // parentheses itself: count fields from the last ")", which ends it.
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state), so field 22 is fields[19].
  const start = fields?.[19];
  return start && /^\d+$/.test(start) ? start : undefined;
}

/** This boot of the machine's kernel (a random UUID per boot), or undefined without /proc. */
export function bootId(): string | undefined {
  return readProc("/proc/sys/kernel/random/boot_id")?.trim() || undefined;
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
