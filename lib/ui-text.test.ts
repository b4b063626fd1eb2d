import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

/**
 * Words that promise or excuse instead of describing: what a page says must
 * be true of the server as built (issue 17: the Settings page once said
 * self-registration would "arrive in a later release" and had "no effect
 * yet", long after it worked). A feature that is not built is not mentioned.
 */
const LEFTOVERS = [
  /later release/i,
  /coming soon/i,
  /not (?:yet )?(?:implemented|available|supported) yet/i,
  /no effect yet/i,
  /\b(?:will|to) arrive\b/i,
  /\bnot (?:yet )?implemented\b/i,
  /placeholder text/i,
  /lorem ipsum/i,
  /\b(?:TODO|FIXME|XXX|TBD)\b/,
  /\bfor now\b/i,
  /\b(?:in the future|in a future version|eventually)\b/i,
];

/** The sources of every page and component a person reads: app/ and components/. */
function uiSources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(tsx|ts)$/.test(entry.name) && !entry.name.endsWith(".test.ts"))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** Lines that match a leftover pattern, as "file:line: text". */
function leftovers(file: string, text: string): string[] {
  return text.split("\n").flatMap((line, i) => (LEFTOVERS.some((pattern) => pattern.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

describe("every explanatory text in the UI describes the server as built", () => {
  const files = [...uiSources("app"), ...uiSources("components")];

  it("reads the pages and components", () => {
    expect(files).toContain(path.join("components", "settings", "project-settings-form.tsx"));
    expect(files.length).toBeGreaterThan(50);
  });

  it("has no leftover promise, excuse or placeholder", () => {
    expect(files.flatMap((file) => leftovers(file, readFileSync(path.join(root, file), "utf8")))).toEqual([]);
  });

  it("would catch the sentences issue 17 found, and passes plain descriptions", () => {
    const found = leftovers("x.tsx", "Self-registration will arrive in a later release.\nThe switches have no effect yet.\nTurn it on to let developers register.");
    expect(found).toEqual(["x.tsx:1: Self-registration will arrive in a later release.", "x.tsx:2: The switches have no effect yet."]);
    expect(leftovers("x.tsx", "<input placeholder=\"https://mcp.example.com/mcp\" />")).toEqual([]);
    expect(leftovers("x.tsx", "// TODO: wire this up")).toHaveLength(1);
  });
});
