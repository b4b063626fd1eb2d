import { z } from "zod";
import type { Prisma, PrismaClient } from "../db/generated/client.ts";
import { fieldErrors } from "../clients/app-input";
import { bearerError } from "../oauth/bearer-header";
import { OAuthError } from "../oauth/oauth-error";
import { ApiError, invalidBody } from "./api-error";

/**
 * A user's `user_metadata`: one free-form JSON object per user, read with
 * `read:current_user` and shallow-merged with `update:current_user_metadata`
 * (as Auth0's user_metadata is). Every limit is checked before anything is
 * stored, so what the database holds always satisfies them.
 */
export const METADATA_LIMITS = {
  /** UTF-8 bytes of the whole object as compact JSON (JSON.stringify), after the merge. */
  maxBytes: 16 * 1024,
  /** Levels of objects and arrays, user_metadata itself included. */
  maxDepth: 5,
  maxKeyLength: 64,
} as const;

/**
 * Object keys at every level: letters, digits, `_` and `-` (no `.` or `$`,
 * to which paths and some stores give meaning), and never `__proto__`, which
 * JavaScript consumers (zod included) drop or turn into a prototype.
 */
const KEY = new RegExp(`^(?!__proto__$)[A-Za-z0-9_-]{1,${METADATA_LIMITS.maxKeyLength}}$`);
const KEY_MESSAGE = `keys must be 1 to ${METADATA_LIMITS.maxKeyLength} letters, digits, _ or - (and not __proto__)`;
const metadataKey = z.string().regex(KEY, KEY_MESSAGE);
const keyError = { error: (issue: { code?: string }) => (issue.code === "invalid_key" ? KEY_MESSAGE : undefined) };

export type UserMetadata = Record<string, unknown>;

export const userMetadataSchema = z
  .record(metadataKey, z.unknown())
  .meta({ description: "The user's metadata: a JSON object shared by every app the user lets read or change it" });

/**
 * `PATCH /me/metadata`: top-level keys to set (any JSON value) or, with
 * null, to remove. zod checks the top-level keys; metadataProblems walks
 * every level (nested keys, depth); the size is checked after the merge
 * (mergeUserMetadata).
 */
export const userMetadataPatchSchema = z.record(metadataKey, z.unknown(), keyError).meta({
  description:
    "Top-level keys of user_metadata to set (the value replaces the old one whole) or, with null, to remove; other keys are kept. " +
    `Keys at every level are 1 to ${METADATA_LIMITS.maxKeyLength} of \`A-Z a-z 0-9 _ -\` (not \`__proto__\`); objects and arrays nest at most ` +
    `${METADATA_LIMITS.maxDepth} levels (user_metadata itself is the first); the result must be at most ` +
    `${METADATA_LIMITS.maxBytes} bytes as compact JSON.`,
});

/** Validates a patch (400 `invalid_body` with a message per offending path, by wire name). */
export function parseMetadataPatch(body: Record<string, unknown>): UserMetadata {
  const parsed = userMetadataPatchSchema.safeParse(body);
  const problems = [...metadataProblems(body), ...(parsed.success ? [] : Object.entries(fieldErrors(parsed.error)))];
  if (problems.length > 0) throw invalidBody(Object.fromEntries(problems.map(([path, message]) => [shorten(path), message])));
  // The body itself, not zod's copy: zod leaves some keys out of records (see KEY), and every key here has been checked.
  return body;
}

/**
 * Every problem at any level: keys, depth, non-finite numbers (JSON's 1e400),
 * by wire name (`prefs.colors[0]`). Iterative, so a deeply nested body
 * cannot overflow the stack; it stops descending at the depth limit.
 */
function metadataProblems(root: Record<string, unknown>): [string, string][] {
  // Pairs, not an object: assigning problems["__proto__"] would set a prototype instead.
  const problems: [string, string][] = [];
  const stack: [unknown, string, number][] = [[root, "", 1]];
  while (stack.length > 0) {
    const [value, path, level] = stack.pop()!;
    if (typeof value === "number" && !Number.isFinite(value)) problems.push([path, "must be a finite number"]);
    if (value === null || typeof value !== "object") continue;
    if (level > METADATA_LIMITS.maxDepth) {
      problems.push([path, `nests too deeply: user_metadata holds at most ${METADATA_LIMITS.maxDepth} levels of objects and arrays`]);
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((child, i) => stack.push([child, `${path}[${i}]`, level + 1]));
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (KEY.test(key)) stack.push([child, childPath, level + 1]);
      else problems.push([childPath || "body", KEY_MESSAGE]);
    }
  }
  return problems;
}

/** Keeps an offending key's path readable when the key is very long. */
function shorten(path: string): string {
  return path.length > 2 * METADATA_LIMITS.maxKeyLength ? `${path.slice(0, 2 * METADATA_LIMITS.maxKeyLength)}…` : path;
}

/** The user was deleted after the token was checked: the token is as good as revoked. */
function userGone(): OAuthError {
  return bearerError("invalid_token", "The access token has been revoked");
}

/**
 * Shallow-merges `patch` into the user's metadata (null removes a key) and
 * returns the result. The row is locked (SELECT … FOR UPDATE) from the read
 * to the write, so concurrent patches each see the other's keys instead of
 * overwriting them; the size limit is checked on the merged object, in the
 * same transaction, and a refused patch changes nothing.
 */
export async function mergeUserMetadata(prisma: PrismaClient, userId: string, patch: UserMetadata): Promise<UserMetadata> {
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ metadata: string }[]>`SELECT metadata::text AS metadata FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    if (!row) throw userGone();
    const current = JSON.parse(row.metadata) as UserMetadata;
    const merged = Object.fromEntries(
      [...Object.entries(current).filter(([key]) => !Object.hasOwn(patch, key)), ...Object.entries(patch)].filter(([, v]) => v !== null),
    );
    const bytes = Buffer.byteLength(JSON.stringify(merged));
    if (bytes > METADATA_LIMITS.maxBytes) {
      throw new ApiError(
        "invalid_body",
        `user_metadata would be ${bytes} bytes after this change; it may hold at most ${METADATA_LIMITS.maxBytes} bytes (as compact JSON)`,
      );
    }
    const updated = await tx.user.update({ where: { id: userId }, data: { metadata: merged as Prisma.InputJsonObject }, select: { metadata: true } });
    return updated.metadata as UserMetadata;
  });
}
