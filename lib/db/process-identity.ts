import { readdirSync, readFileSync } from "node:fs";

/**
 * The start time of process `pid` in clock ticks since boot (field 22 of
 * /proc/<pid>/stat, proc(5)), or undefined where there is no /proc (macOS,
 * Windows) or no such process. With the pid it names one run of a process:
 * a later process given the same pid starts at another tick.
 */
export function processStartTime(pid: number): string | undefined {
  // statFields()[0] is field 3 (state), so field 22 is [19].
  const start = statFields(pid)?.[19];
  return start && /^\d+$/.test(start) ? start : undefined;
}

/**
 * A zombie has exited but was not reaped yet; signal 0 still reaches it.
 * A server killed with its parent is one until init reaps the orphan
 * (seconds on some hosts), and a restart in that time must not be refused.
 * Linux says so in /proc; elsewhere a zombie counts as running.
 */
export function isZombie(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state === "Z" || state === "X";
}

/**
 * Fields 3 on of /proc/<pid>/stat (state, ppid, pgrp, …; proc(5)), or
 * undefined without /proc or without that process. Field 2, the command, is
 * in parentheses and may hold spaces and parentheses itself: count from the
 * last ")".
 */
export function statFields(pid: number): string[] | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** Every process's statFields by pid (empty without /proc); processes that exit while listed are left out. */
export function processTable(): Map<number, string[]> {
  const table = new Map<number, string[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return table;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields) table.set(Number(entry), fields);
  }
  return table;
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
