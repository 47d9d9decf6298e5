/**
 * `loadMinuteRange` reads each asset's minutes of a range as one list (`visitGroupLists`): every
 * cell equals the bar written, whatever the assets asked for and their order, with gaps, with an
 * asset that has no bar in the range, on a calendar with a lunch break; and the list reader itself
 * hands out every group of a result spread over several chunks.
 */
import { describe, expect, test } from "vitest";
import { ingest, load } from "../../bundles/mod.ts";
import { openDb, visitGroupLists } from "../../bundles/store/duckdb.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { minuteFiles, tempRoot } from "./helpers.ts";

describe("loadMinuteRange", () => {
  for (const [calendar, count] of [["XNYS", 5], ["XTKS", 3]] as const) {
    test(`${calendar}: every cell of a ${count}-session range equals the bar written`, async () => {
      const cal = get_calendar(calendar);
      const sessions = cal.sessions_in_range(Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 31))
        .slice(0, count + 2);
      const { dir, bars } = minuteFiles(calendar, sessions, 4, count);
      const root = tempRoot();
      await ingest("csvdir", { root, environ: { CSVDIR: dir }, calendar });
      const r = await load("csvdir", { root });
      try {
        // A range inside the data (not its first session), assets asked for out of order, the
        // one without bars in the range among them, and a field subset in another order.
        const first = sessions[1], last = sessions[count];
        const sids = [3, 0, 2], fields = ["volume", "close", "open"] as const;
        const got = await r.loadMinuteRange(sids, first, last, fields);
        const minutes = Array.from(cal.sessions_in_range(first, last))
          .flatMap((s) => Array.from(cal.session_minutes(s)));
        expect(Array.from(got.minutes)).toEqual(minutes);
        const n = minutes.length;
        let seen = 0;
        sids.forEach((sid, a) => {
          minutes.forEach((m, k) => {
            const bar = bars.get(`${sid}:${m}`);
            if (bar) seen++;
            expect(got.fields.volume![a * n + k]).toBe(bar ? bar[4] : 0);
            expect(got.fields.close![a * n + k]).toBe(bar ? bar[3] : NaN);
            expect(got.fields.open![a * n + k]).toBe(bar ? bar[0] : NaN);
          });
        });
        expect(seen).toBeGreaterThan(0.6 * 2 * n);
        expect(got.fields.high).toBeUndefined();
      } finally {
        r.close();
      }
    });
  }
});

describe("visitGroupLists", () => {
  test("every group of a result over several chunks, its rows' values together", async () => {
    const db = await openDb(":memory:");
    try {
      // 5,000 keys: more than one result chunk (2,048 rows each); key k has k % 7 + 1 rows.
      await db.conn.run(`CREATE TABLE t AS
        SELECT k::INTEGER AS k, r::INTEGER AS r, (k * 1000 + r)::DOUBLE AS v
        FROM range(5000) a(k), range(7) b(r) WHERE r <= k % 7`);
      const seen = new Map<number, [number, number][]>();
      await visitGroupLists(
        db.conn,
        "SELECT k, list({r: r, v: v}) FROM t GROUP BY k",
        ["i32", "f64"],
        (key, [r, v], from, to) => {
          const rows: [number, number][] = [];
          for (let i = from; i < to; i++) rows.push([r[i], v[i]]);
          seen.set(key, rows);
        },
      );
      expect(seen.size).toBe(5000);
      for (const [k, rows] of seen) {
        expect(rows.length).toBe(k % 7 + 1);
        for (const [r, v] of rows) expect(v).toBe(k * 1000 + r);
        expect(new Set(rows.map(([r]) => r)).size).toBe(rows.length);
      }
    } finally {
      db.close();
    }
  });

  test("a struct with fields other than asked for is refused", async () => {
    const db = await openDb(":memory:");
    try {
      await expect(
        visitGroupLists(
          db.conn,
          "SELECT 1::INTEGER, list({a: 1.5, b: 2.5})",
          ["f64"],
          () => {},
        ),
      ).rejects.toThrow(/2 struct fields, expected 1/);
    } finally {
      db.close();
    }
  });
});
