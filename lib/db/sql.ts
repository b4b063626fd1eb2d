/**
 * The little raw-SQL surface the migration runner needs, over one dedicated
 * connection (advisory locks are per session). Prisma is not used for it:
 * migration files hold several statements, which only the simple query
 * protocol accepts.
 */
export interface SqlSession {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  /** Runs one parameterised statement and returns its rows. */
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}
