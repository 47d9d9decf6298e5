/**
 * A recorder's rows sent to another thread while the run goes on: the thread that writes the
 * run's tables (`tables/table_stream.ts`) keeps a copy of what the recorder holds, made from the
 * rows recorded since it was last sent any. Everything the recorder keeps is added to, never
 * changed (a session's rows are final at its end), so what was sent stays true.
 *
 * A delta holds numbers in arrays — views of the recorder's chunks once they are shared memory
 * (`Rows.share`), copies of those made before, moved to the other thread without another copy —
 * and the few texts the tables need: assets' symbols once each, and the sparse ids and reasons
 * by row. Order ids of the run's own family travel as their numbers, with the family's prefix.
 *
 * @module
 */
import { IdFamily } from "../model/id_family.ts";
import type { DayRows, NamedAsset, RecordedData, RecorderData } from "./recorder.ts";
import { ORDER_ROW, Rows, TXN_ROW } from "./recorder_rows.ts";

/** Rows as `Rows.rowsFrom` gives them: views of shared memory, or copies. */
type Numbers = Float64Array[];
type ByRow = [row: number, text: string][];

/** The rows and names recorded since the delta before (the first also the restored rows). */
export interface RecorderDelta {
  before: DayRows | null;
  prefix: string | null;
  pNum: Numbers;
  pChange: Numbers;
  oNum: Numbers;
  oPrices: Numbers;
  tNum: Numbers;
  pDate: number[];
  pCount: number[];
  oDay: number[];
  oCount: number[];
  tDay: number[];
  tCount: number[];
  /** The assets numbered since, in their order: sid and symbol. */
  assets: [sid: number, symbol: string][];
  /** The sids held for the first time since, and their symbols. */
  held: [sid: number, symbol: string][];
  oOtherIds: ByRow;
  oReason: ByRow;
  tOtherIds: ByRow;
}

/** The entries of a map added since the last call (a map only ever added to). */
class MapTail<V> {
  #seen = 0;
  #it: MapIterator<[number, V]> | null = null;

  take(map: ReadonlyMap<number, V>): [number, V][] {
    const out: [number, V][] = [];
    // An iterator asked no further than the map's size never finishes, and sees later entries.
    this.#it ??= map.entries();
    for (; this.#seen < map.size; this.#seen++) out.push(this.#it.next().value!);
    return out;
  }
}

/** Makes the deltas of one recorder, each from where the one before stopped. */
export class RecorderFeed {
  #first = true;
  #rows = { pNum: 0, pChange: 0, oNum: 0, oPrices: 0, tNum: 0 };
  #days = { p: 0, o: 0, t: 0 };
  #assets = 0;
  #held = new MapTail<NamedAsset>();
  #oOther = new MapTail<string>();
  #reason = new MapTail<string>();
  #tOther = new MapTail<string>();

  /** Rows of the three tables recorded and not yet sent. */
  pending(d: RecordedData): number {
    const r = this.#rows;
    return d.pNum.count - r.pNum + d.oNum.count - r.oNum + d.tNum.count - r.tNum;
  }

  /** Everything recorded since the last delta. */
  take(d: RecordedData): RecorderDelta {
    const r = this.#rows, days = this.#days;
    const rows = (name: keyof typeof r, of: Rows): Numbers => {
      const from = r[name];
      r[name] = of.count;
      return of.rowsFrom(from);
    };
    const assets: [number, string][] = [];
    for (; this.#assets < d.assets.size; this.#assets++) {
      const a = d.assets.asset(this.#assets);
      assets.push([a.sid, a.symbol]);
    }
    const held = this.#held.take(d.held).map(([sid, a]): [number, string] => [sid, a.symbol]);
    const delta: RecorderDelta = {
      before: this.#first ? d.before : null,
      prefix: d.ids.prefix,
      pNum: rows("pNum", d.pNum),
      pChange: rows("pChange", d.pChange),
      oNum: rows("oNum", d.oNum),
      oPrices: rows("oPrices", d.oPrices),
      tNum: rows("tNum", d.tNum),
      pDate: d.pDate.slice(days.p),
      pCount: d.pCount.slice(days.p),
      oDay: d.oDay.slice(days.o),
      oCount: d.oCount.slice(days.o),
      tDay: d.tDay.slice(days.t),
      tCount: d.tCount.slice(days.t),
      assets,
      held,
      oOtherIds: this.#oOther.take(d.oOtherIds),
      oReason: this.#reason.take(d.oReason),
      tOtherIds: this.#tOther.take(d.tOtherIds),
    };
    days.p = d.pDate.length;
    days.o = d.oDay.length;
    days.t = d.tDay.length;
    this.#first = false;
    return delta;
  }

  /**
   * The copies a delta can give up to another thread instead of having them copied again (shared
   * memory is shared, never moved).
   */
  static transfers(delta: RecorderDelta): ArrayBuffer[] {
    const all = [delta.pNum, delta.pChange, delta.oNum, delta.oPrices, delta.tNum].flat();
    return all.map((a) => a.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  }

  /** Makes `d`'s rows from now on in memory the other thread reads without a copy. */
  static share(d: RecordedData): void {
    for (const rows of [d.pNum, d.pChange, d.oNum, d.oPrices, d.tNum]) rows.share();
  }
}

/** What a copy of a recorder holds: the same as the recorder's, made from its deltas. */
export class RecorderReplica implements RecorderData {
  readonly held = new Map<number, NamedAsset>();
  readonly pNum = new Rows(2);
  readonly pChange = new Rows(3);
  readonly pDate: number[] = [];
  readonly pCount: number[] = [];
  readonly oDay: number[] = [];
  readonly oCount: number[] = [];
  readonly #assets: NamedAsset[] = [];
  readonly assets = { asset: (n: number): NamedAsset => this.#assets[n] };
  readonly oNum = new Rows(ORDER_ROW.WIDTH);
  readonly oOtherIds = new Map<number, string>();
  readonly oPrices = new Rows(3);
  readonly oReason = new Map<number, string>();
  readonly tDay: number[] = [];
  readonly tCount: number[] = [];
  readonly ids = new IdFamily();
  readonly tNum = new Rows(TXN_ROW.WIDTH);
  readonly tOtherIds = new Map<number, string>();
  before: DayRows = { positions: [], orders: [], transactions: [] };

  /** Adds a delta's rows and names after the ones before. */
  add(d: RecorderDelta): void {
    if (d.before) this.before = d.before;
    // A prefix ends in a character that is no digit: the id "<prefix>1" teaches exactly it.
    if (d.prefix !== null && !this.ids.known) this.ids.learn(`${d.prefix}1`);
    for (const rows of d.pNum) this.pNum.append(rows);
    for (const rows of d.pChange) this.pChange.append(rows);
    for (const rows of d.oNum) this.oNum.append(rows);
    for (const rows of d.oPrices) this.oPrices.append(rows);
    for (const rows of d.tNum) this.tNum.append(rows);
    append(this.pDate, d.pDate);
    append(this.pCount, d.pCount);
    append(this.oDay, d.oDay);
    append(this.oCount, d.oCount);
    append(this.tDay, d.tDay);
    append(this.tCount, d.tCount);
    for (const [sid, symbol] of d.assets) this.#assets.push({ sid, symbol });
    for (const [sid, symbol] of d.held) this.held.set(sid, { sid, symbol });
    for (const [row, id] of d.oOtherIds) this.oOtherIds.set(row, id);
    for (const [row, reason] of d.oReason) this.oReason.set(row, reason);
    for (const [row, id] of d.tOtherIds) this.tOtherIds.set(row, id);
  }
}

function append(to: number[], more: readonly number[]): void {
  for (const x of more) to.push(x);
}
