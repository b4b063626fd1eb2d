/**
 * PostgreSQL text cannot hold U+0000, and an unpaired UTF-16 surrogate has no
 * UTF-8 encoding: either fails the query, i.e. a 500 for what is bad input.
 * The management API refuses such strings at the edge instead.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_MESSAGE = "must not contain NUL characters or unpaired surrogates";

export function isUnstorable(text: string): boolean {
  return UNSTORABLE.test(text);
}

/**
 * The wire path (`redirect_uris[0]`, as zod field errors name them) of every
 * string in a parsed JSON value that cannot be stored. Iterative, so a deeply
 * nested body cannot overflow the stack.
 */
export function unstorablePaths(value: unknown): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === "string") {
      if (isUnstorable(item)) found.push(path || "body");
    } else if (Array.isArray(item)) {
      item.forEach((child, i) => stack.push([child, `${path}[${i}]`]));
    } else if (item !== null && typeof item === "object") {
      for (const [key, child] of Object.entries(item)) {
        if (isUnstorable(key)) found.push(path || "body");
        stack.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return found.sort();
}

/**
 * Text from a request, safe to put in a log line: control characters (a
 * NUL, a line break that would forge another line) are written as \u
 * escapes.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
