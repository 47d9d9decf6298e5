/**
 * A recorder's rows sent as deltas (`recorder_delta.ts`): the copy built from them holds the same
 * tables — ids of another family and reasons by row, prices, changes of amount — whichever rows
 * each delta carried; shared chunks travel as views, copies are handed over; a reader that ran
 * out reads the rows added after, in its chunk or in new ones.
 */
import { describe, expect, test } from "vitest";
import type { Asset } from "../../runtime/assets/asset.ts";
import { AssetNumbers } from "../../runtime/assets/asset_numbers.ts";
import { IdFamily } from "../../runtime/model/id_family.ts";
import type { RecordedData } from "../../runtime/metrics/recorder.ts";
import { RecorderFeed, RecorderReplica } from "../../runtime/metrics/recorder_delta.ts";
import { ORDER_CODE, ORDER_ROW, Rows, TXN_ROW } from "../../runtime/metrics/recorder_rows.ts";
import { csvString } from "../../runtime/metrics/tables/csv.ts";
import {
  ordersTable,
  positionsTable,
  transactionsTable,
} from "../../runtime/metrics/tables/recorder_tables.ts";

const DAY = 86_400_000, T0 = Date.UTC(2020, 0, 2);

/** A recorder's data, written by hand a session at a time (what `Recorder.endOfSession` keeps). */
function source() {
  const assets = new AssetNumbers(), ids = new IdFamily();
  const d = {
    held: new Map<number, Asset>(),
    pNum: new Rows(2),
    pChange: new Rows(3),
    pDate: [] as number[],
    pCount: [] as number[],
    oDay: [] as number[],
    oCount: [] as number[],
    assets,
    oNum: new Rows(ORDER_ROW.WIDTH),
    oOtherIds: new Map<number, string>(),
    oPrices: new Rows(3),
    oReason: new Map<number, string>(),
    tDay: [] as number[],
    tCount: [] as number[],
    ids,
    tNum: new Rows(TXN_ROW.WIDTH),
    tOtherIds: new Map<number, string>(),
    before: { positions: [], orders: [], transactions: [] },
  };
  const asset = (sid: number) => ({ sid, symbol: `S${sid}` }) as Asset;
  let pRows = 0;
  /** Session `i`: a position in each of `i % 3 + 1` assets, an order and a fill per asset. */
  const session = (i: number) => {
    const date = T0 + i * DAY, n = (i % 3) + 1;
    for (let s = 0; s < n; s++) {
      const a = asset(s + 1);
      d.held.set(a.sid, a);
      const r = d.pNum.next(), at = d.pNum.offset;
      r[at] = a.sid;
      r[at + 1] = 10 + i + s;
      if ((i + s) % 4 === 0) {
        const c = d.pChange.next(), ca = d.pChange.offset;
        c.set([pRows, i * 10 + s, 9.5 + i], ca);
      }
      pRows++;
      const orow = d.oNum.count, o = d.oNum.next(), oa = d.oNum.offset;
      const own = (i + s) % 5 !== 0, id = own ? `hvabc-${orow + 1}` : `broker-${i}-${s}x`;
      if (own) ids.learn(id);
      o.set([date + 1, s + 1, s, 0, date, 1 + ORDER_CODE.ASSET * assets.of(a), NaN], oa);
      if (own) o[oa + ORDER_ROW.ID] = orow + 1;
      else d.oOtherIds.set(orow, id);
      if (s === 1) d.oPrices.next().set([orow, 9 + i, NaN], d.oPrices.offset);
      if ((i + s) % 6 === 0) d.oReason.set(orow, `refused, "${i}"`);
      const trow = d.tNum.count, t = d.tNum.next(), ta = d.tNum.offset;
      t.set([date + 2, s + 1, 10 + i, assets.of(a), own ? orow + 1 : NaN], ta);
      if (!own) d.tOtherIds.set(trow, id);
    }
    d.pDate.push(date), d.pCount.push(n);
    d.oDay.push(date), d.oCount.push(n);
    d.tDay.push(date), d.tCount.push(n);
  };
  return { d: d as RecordedData, session };
}

const tables = (d: Parameters<typeof positionsTable>[0]) =>
  [positionsTable(d), ordersTable(d), transactionsTable(d)].map(csvString);

describe("a recorder sent as deltas", () => {
  test("the copy holds the same tables, whatever each delta carried", () => {
    for (const cuts of [[1], [2, 5], [7], [40]]) {
      const { d, session } = source(), feed = new RecorderFeed(), copy = new RecorderReplica();
      for (let i = 0; i < 40; i++) {
        if (i === 11) RecorderFeed.share(d); // later chunks are shared memory
        session(i);
        if (cuts.some((k) => i % k === 0)) copy.add(structuredClone(feed.take(d)));
        // The copy is read while it grows, as the writing thread reads it.
        if (i === 20) expect(tables(copy)[0].length).toBeGreaterThan(0);
      }
      copy.add(feed.take(d));
      expect(d.oOtherIds.size).toBeGreaterThan(0);
      expect(d.oReason.size).toBeGreaterThan(0);
      expect(tables(copy)).toEqual(tables(d));
    }
  });

  test("shared chunks are sent as views, copies are handed over", () => {
    const rows = new Rows(2, 4);
    rows.next().set([1, 2], rows.offset);
    rows.share();
    for (let k = 0; k < 5; k++) rows.next().set([k, k], rows.offset);
    // The first chunk (4 rows) was made before `share`: copied; the second is shared: a view.
    const parts = rows.rowsFrom(0);
    expect(parts.map((p) => p.buffer instanceof SharedArrayBuffer)).toEqual([false, true]);
    expect(parts.map((p) => Array.from(p))).toEqual([[1, 2, 0, 0, 1, 1, 2, 2], [3, 3, 4, 4]]);
    expect(Array.from(rows.rowsFrom(3)[0])).toEqual([2, 2]);
    parts[1][0] = 99; // a view: the same memory
    expect(rows.column(0)[4]).toBe(99);
  });

  test("a reader that ran out reads the rows appended after", () => {
    const rows = new Rows(1), reader = rows.reader();
    rows.append(new Float64Array([1, 2]));
    const seen: number[] = [];
    while (reader.next()) seen.push(reader.data[reader.at]);
    rows.append(new Float64Array([3]));
    rows.append(new Float64Array([4, 5]));
    while (reader.next()) seen.push(reader.data[reader.at]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  test("a reader that ran out reads rows committed to its chunk after", () => {
    const rows = new Rows(1, 4), reader = rows.reader(), seen: number[] = [];
    const add = (v: number) => void (rows.next()[rows.offset] = v);
    const read = () => {
      while (reader.next()) seen.push(reader.data[reader.at]);
    };
    read(); // nothing yet
    add(1);
    read();
    add(2), add(3); // the same chunk, grown under the reader
    read();
    add(4), add(5), add(6); // the chunk filled, then a new one
    read();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
