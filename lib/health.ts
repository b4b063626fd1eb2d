import { getDb } from "./db";

export interface Health {
  status: "ok" | "error";
  database: { status: "ok" | "error"; kind?: "pglite" | "postgres"; latencyMs?: number; error?: string };
}

// Opening includes migrating, and a first PGlite start takes a few seconds;
// a query on an open database answers in milliseconds.
const OPEN_TIMEOUT_MS = 15_000;
const QUERY_TIMEOUT_MS = 2_000;

/** App and database status for GET /api/health; never throws. */
export async function checkHealth(): Promise<Health> {
  const started = performance.now();
  try {
    const db = await withTimeout(getDb(), OPEN_TIMEOUT_MS);
    await withTimeout(db.prisma.$queryRaw`SELECT 1`, QUERY_TIMEOUT_MS);
    const latencyMs = Math.round(performance.now() - started);
    return { status: "ok", database: { status: "ok", kind: db.kind, latencyMs } };
  } catch (error) {
    // The reason stays in the server log; the public answer only says "unavailable".
    console.error("health check: database unavailable:", (error as Error).message);
    return { status: "error", database: { status: "error", error: "database unavailable" } };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
