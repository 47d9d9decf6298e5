/**
 * firstFound: the first row of a check query in the order asked, with how many rows it found,
 * without the `count(*) OVER ()` + `LIMIT` shape DuckDB 1.5 intermittently fails (duckdb#22352).
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { firstFound } from "../../bundles/ingest/first_found.ts";
import { type Db, openDb } from "../../bundles/store/duckdb.ts";

let db: Db;
beforeAll(async () => {
  db = await openDb(":memory:");
  await db.conn.run(
    `CREATE TABLE t AS SELECT (i % 7)::INTEGER AS sid, DATE '2024-01-01' + (i // 7)::INTEGER AS d
     FROM range(5000) r(i)`,
  );
});
afterAll(() => db.close());

test("gives the first row in order and the count of all", async () => {
  const r = await firstFound(db.conn, "SELECT sid, d FROM t WHERE sid >= 3", "sid DESC, d DESC");
  expect(Number(r!.sid)).toBe(6);
  expect((r!.d as Date).toISOString().slice(0, 10)).toBe("2025-12-14");
  expect(Number(r!.n)).toBe(2856);
});

test("gives undefined when the query finds nothing", async () => {
  expect(await firstFound(db.conn, "SELECT sid, d FROM t WHERE sid > 6", "sid")).toBeUndefined();
});
