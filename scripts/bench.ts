// `npm run bench`: measures the hot paths that later sit on the token
// endpoint, against PGlite (in memory) and, when BENCH_DATABASE_URL is set,
// PostgreSQL. Prints throughput and latency percentiles; asserts nothing.
import "./load-env";
import { performance } from "node:perf_hooks";
import { createApp, verifyClientSecret } from "../lib/clients/apps";
import { hashClientSecret } from "../lib/clients/secrets";
import { openMigratedDatabase, type Database } from "../lib/db";
import type { DatabaseTarget } from "../lib/db/open";

process.env.AUTH_SECRET ??= "benchmark-secret-benchmark-secret-benchmark";
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function measure(name: string, fn: () => Promise<unknown> | unknown): Promise<void> {
  for (let i = 0; i < 50; i++) await fn(); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < ITERATIONS) {
        const t = performance.now();
        await fn();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(3);
  console.log(
    `${name.padEnd(44)} ${String(Math.round(latencies.length / seconds)).padStart(7)} ops/s   p50 ${p(0.5)} ms   p95 ${p(0.95)} ms   p99 ${p(0.99)} ms`,
  );
}

async function run(label: string, target: DatabaseTarget) {
  const db: Database = await openMigratedDatabase(target, () => {});
  try {
    const actor = { type: "system" as const, id: null, label: "bench" };
    const { app, clientSecret } = await createApp(db.prisma, actor, { client_type: "first_party", name: "bench" }, "api");
    console.log(`\n${label} (concurrency ${CONCURRENCY}, ${ITERATIONS} iterations)`);
    await measure("hash a client secret (HMAC-SHA-256)", () => hashClientSecret(clientSecret!));
    await measure("verifyClientSecret, right secret", () => verifyClientSecret(db.prisma, app.client_id, clientSecret!));
    await measure("verifyClientSecret, unknown client", () => verifyClientSecret(db.prisma, "ca_unknown", clientSecret!));
  } finally {
    await db.close();
  }
}

await run("PGlite (in memory)", { kind: "pglite" });
if (process.env.BENCH_DATABASE_URL) {
  const schema = `bench_${process.pid}`;
  const pg = await import("pg");
  const admin = new pg.default.Client({ connectionString: process.env.BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  try {
    await run("PostgreSQL", { kind: "postgres", url: process.env.BENCH_DATABASE_URL, schema });
  } finally {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  }
}
