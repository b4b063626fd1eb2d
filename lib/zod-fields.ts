import type { z } from "zod";

/** A zod issue's path as a wire name (`redirect_uris[1]`, `metadata.theme`); the body itself is `body`. */
export function wireName(path: readonly PropertyKey[]): string {
  const name = path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), "");
  return name || "body";
}

/**
 * Zod issues as one message per field (the first issue of each), by wire
 * name; each unknown key of a strict object gets `unknownKey`, in the
 * caller's words ("is not a known setting").
 */
export function fieldMessages(error: z.ZodError, unknownKey = "is not a known field"): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[key] ??= unknownKey;
    } else {
      fields[wireName(issue.path)] ??= issue.message;
    }
  }
  return fields;
}
