/**
 * The first row a check query finds, with how many it found in all.
 *
 * Why not `count(*) OVER ()` beside `ORDER BY … LIMIT 1`: DuckDB 1.5 intermittently fails that
 * shape with "INTERNAL Error: Attempted to access index 0 within vector of size 0" when its threads
 * are busy (duckdb/duckdb#22352; seen here about once in 300 ingests under load), and an internal
 * error invalidates the database. The count comes from a scalar subquery over the same rows.
 */
import type { DuckDBConnection } from "@duckdb/node-api";

/** All rows of one query, as objects. */
export async function rowsOf(
  conn: DuckDBConnection,
  sql: string,
): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/**
 * The first row of `select` in `orderBy` order, with `n`: the number of rows `select` gives.
 * `undefined` when it gives none.
 */
export async function firstFound(
  conn: DuckDBConnection,
  select: string,
  orderBy: string,
): Promise<Record<string, unknown> | undefined> {
  const [row] = await rowsOf(
    conn,
    `WITH found AS (${select})
     SELECT *, (SELECT count(*) FROM found) AS n FROM found ORDER BY ${orderBy} LIMIT 1`,
  );
  return row;
}
