import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildIsStale } from "./build-freshness.mjs";

let root: string;
const at = (seconds: number) => new Date(1_800_000_000_000 + seconds * 1000);

function file(relative: string, seconds: number) {
  const p = path.join(root, relative);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, relative);
  utimesSync(p, at(seconds), at(seconds));
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "build-freshness-"));
  file("app/page.tsx", 0);
  file("lib/db/index.ts", 0);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("buildIsStale", () => {
  it("is stale without a build", () => {
    expect(buildIsStale(root)).toBe(true);
  });

  it("is fresh when the build is newer than every source", () => {
    file(".next/BUILD_ID", 10);
    expect(buildIsStale(root)).toBe(false);
  });

  it("is stale when a source in a nested folder changed after the build", () => {
    file(".next/BUILD_ID", 10);
    file("lib/auth/users.ts", 20);
    expect(buildIsStale(root)).toBe(true);
  });

  it("ignores the generated Prisma client, which every npm install rewrites", () => {
    file(".next/BUILD_ID", 10);
    file("lib/db/generated/client.ts", 20);
    expect(buildIsStale(root)).toBe(false);
    file("prisma/schema.prisma", 30);
    expect(buildIsStale(root)).toBe(true);
  });
});
