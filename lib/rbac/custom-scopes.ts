import { recordAudit, type Actor } from "../audit";
import { isUniqueViolation } from "../db/unique-violation";
import type { PrismaClient } from "../db/generated/client.ts";
import { conflictError, invalidInput, notFoundError } from "../domain-error";
import { isBuiltInScope } from "./grantable";
import { customScopeInput, customScopePatch, parseRbac } from "./input";

const view = (s: { name: string; description: string; permissions: string[]; createdAt: Date; updatedAt: Date }) => ({
  name: s.name,
  description: s.description,
  permissions: s.permissions,
  created_at: s.createdAt.toISOString(),
  updated_at: s.updatedAt.toISOString(),
});
export type CustomScopeView = ReturnType<typeof view>;

export async function listCustomScopes(prisma: PrismaClient): Promise<CustomScopeView[]> {
  return (await prisma.customScope.findMany({ orderBy: { name: "asc" } })).map(view);
}

/** Defines a custom scope; built-in scope names are reserved. */
export async function createCustomScope(prisma: PrismaClient, actor: Actor, input: unknown): Promise<CustomScopeView> {
  const data = parseRbac(customScopeInput, input);
  if (isBuiltInScope(data.name)) throw invalidInput({ name: "is a built-in scope" });
  try {
    return await prisma.$transaction(async (tx) => {
      const created = await tx.customScope.create({ data });
      await recordAudit(tx, actor, "scope.created", created.id, { name: data.name, permissions: data.permissions });
      return view(created);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflictError(`A scope named ${data.name} already exists`);
    throw e;
  }
}

export async function updateCustomScope(prisma: PrismaClient, actor: Actor, name: string, patch: unknown): Promise<CustomScopeView> {
  const data = parseRbac(customScopePatch, patch);
  return prisma.$transaction(async (tx) => {
    const found = await tx.customScope.findUnique({ where: { name } });
    if (!found) throw notFoundError(`No scope named ${name}`);
    const updated = await tx.customScope.update({ where: { name }, data });
    await recordAudit(tx, actor, "scope.updated", found.id, { name, changes: data });
    return view(updated);
  });
}

/** Deletes a custom scope: it can no longer be granted (tokens issued later lose it), and apps requesting it get it listed as ungrantable. */
export async function deleteCustomScope(prisma: PrismaClient, actor: Actor, name: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const found = await tx.customScope.findUnique({ where: { name }, select: { id: true } });
    if (!found) throw notFoundError(`No scope named ${name}`);
    await tx.customScope.delete({ where: { name } });
    await recordAudit(tx, actor, "scope.deleted", found.id, { name });
  });
}
