import type { Prisma, PrismaClient } from "../db/generated/client.ts";
import { STANDARD_SCOPES } from "../oauth/scopes";

type Db = PrismaClient | Prisma.TransactionClient;

export const isBuiltInScope = (scope: string) => Object.hasOwn(STANDARD_SCOPES, scope);

export interface ScopeSplit {
  /** Scopes the user may grant: built-in ones, and custom ones whose permissions the user holds. */
  grantable: string[];
  /** Requested scopes the user cannot grant, with the permissions they lack (none listed for undefined scopes). */
  ungrantable: { scope: string; missing: string[] }[];
}

/**
 * Splits requested scopes by what the user may grant (docs/design.md: a user can
 * grant only scopes whose permissions they hold). Built-in scopes need no
 * permission (their own rules — e.g. full_access for first-party apps — are
 * the policy table's); a custom scope needs every permission it lists; a
 * scope that is not defined (any more) cannot be granted.
 */
export function splitGrantable(
  requested: readonly string[],
  customScopes: ReadonlyMap<string, readonly string[]>,
  permissions: ReadonlySet<string>,
): ScopeSplit {
  const split: ScopeSplit = { grantable: [], ungrantable: [] };
  for (const scope of requested) {
    if (isBuiltInScope(scope)) {
      split.grantable.push(scope);
      continue;
    }
    const needs = customScopes.get(scope);
    const missing = needs ? needs.filter((p) => !permissions.has(p)) : [];
    if (needs && missing.length === 0) split.grantable.push(scope);
    else split.ungrantable.push({ scope, missing });
  }
  return split;
}

/** Every permission the user holds through their roles. */
export async function userPermissions(db: Db, userId: string): Promise<Set<string>> {
  const roles = await db.role.findMany({ where: { assignments: { some: { userId } } }, select: { permissions: true } });
  return new Set(roles.flatMap((r) => r.permissions));
}

/** The custom scopes among `scopes`, with their permissions and descriptions. */
export async function customScopesNamed(db: Db, scopes: readonly string[]) {
  const names = scopes.filter((s) => !isBuiltInScope(s));
  if (!names.length) return new Map<string, { permissions: string[]; description: string }>();
  const rows = await db.customScope.findMany({ where: { name: { in: names } }, select: { name: true, permissions: true, description: true } });
  return new Map(rows.map((r) => [r.name, { permissions: r.permissions, description: r.description }]));
}

/**
 * What this user may grant of `scopes`, read from the database. No query at
 * all when every scope is built-in (the common case on the token path).
 */
export async function grantableFor(db: Db, userId: string, scopes: readonly string[]): Promise<ScopeSplit & { descriptions: Map<string, string> }> {
  const custom = await customScopesNamed(db, scopes);
  const permissions = scopes.some((s) => !isBuiltInScope(s)) ? await userPermissions(db, userId) : new Set<string>();
  const split = splitGrantable(scopes, new Map([...custom].map(([name, c]) => [name, c.permissions])), permissions);
  return { ...split, descriptions: new Map([...custom].map(([name, c]) => [name, c.description])) };
}
