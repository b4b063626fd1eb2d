import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CORE = path.join(ROOT, "lib/oauth");

/** Runtime (not type-only) import specifiers of a module. */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^;]*?\sfrom\s+)?"([^"]+)"/gms)].filter((m) => !m[1]).map((m) => m[2]!);
}

function resolveLocal(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(ROOT, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")].find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

function coreModules(dir = CORE): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return coreModules(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** Every chain of runtime imports from a protocol-core module to a package matching `forbidden`. */
function pathsTo(forbidden: (spec: string) => boolean): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      const here = [...chain, path.relative(ROOT, file)];
      if (forbidden(spec)) found.push([...here, spec].join(" → "));
      const next = resolveLocal(file, spec);
      if (next) walk(next, here);
    }
  };
  for (const file of coreModules()) walk(file, []);
  return found;
}

// docs/design.md, "Shape of the code": the protocol core runs and is tested without a database client or Next.
describe("the protocol core's imports", () => {
  it("loads no database client, directly or through another module", () => {
    expect(pathsTo((spec) => spec === "pg" || spec.startsWith("@prisma/") || spec.includes("db/generated") || spec.startsWith("@electric-sql/"))).toEqual([]);
  });

  it("loads nothing of Next", () => {
    expect(pathsTo((spec) => spec === "next" || spec.startsWith("next/") || spec === "next-auth" || spec.startsWith("next-auth/"))).toEqual([]);
  });

  it("sees the modules it checks (the walk is not empty)", () => {
    expect(coreModules().length).toBeGreaterThan(30);
    expect(runtimeImports(path.join(CORE, "codes.ts"))).toContain("./lifetimes");
  });
});
