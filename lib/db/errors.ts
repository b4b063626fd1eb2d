import { Prisma } from "./generated/client.ts";

/**
 * Whether a write failed on a unique constraint. Through @prisma/adapter-pg
 * that is Prisma's P2002; pglite-prisma-adapter passes Postgres errors through
 * unmapped, so there it is a DriverAdapterError carrying SQLSTATE 23505.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  if (!(error instanceof Error) || error.name !== "DriverAdapterError") return false;
  const cause = (error as Error & { cause?: { code?: unknown } }).cause;
  return cause?.code === "23505";
}
