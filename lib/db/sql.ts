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

/** A statement of the protocol's hot path: `name` makes it a prepared statement (per connection) on PostgreSQL. */
export interface Statement {
  name: string;
  text: string;
}

/**
 * Parameterised statements over the pool (PostgreSQL) or the single
 * connection (PGlite), bypassing Prisma on the token path: one round trip
 * per statement, parsed and planned once per connection.
 */
export interface SqlClient {
  query<Row extends Record<string, unknown>>(statement: Statement, values: readonly unknown[]): Promise<Row[]>;
}
