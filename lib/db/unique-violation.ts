/**
 * Whether a write failed on a unique constraint. Through @prisma/adapter-pg
 * that is Prisma's P2002; pglite-prisma-adapter passes Postgres errors through
 * unmapped, so there it is a DriverAdapterError carrying SQLSTATE 23505.
 * Recognised by name, not `instanceof`: the database client is a process
 * singleton, possibly created by another route bundle than the caller's.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "PrismaClientKnownRequestError") return (error as Error & { code?: unknown }).code === "P2002";
  if (error.name !== "DriverAdapterError") return false;
  const cause = (error as Error & { cause?: { code?: unknown } }).cause;
  return cause?.code === "23505";
}
