/**
 * `ListsBySid` iterates as a `Map<number, T[]>` whose emptied lists are deleted (zipline's blotter
 * pruning `open_orders`): the order a venue fills assets in and `get_open_orders` lists them.
 */
import { describe, expect, test } from "vitest";
import { ListsBySid } from "../../runtime/orders/lists_by_sid.ts";

/** The reference: a Map, an emptied list deleted. */
class Reference {
  readonly map = new Map<number, number[]>();
  push(sid: number, x: number) {
    const list = this.map.get(sid);
    if (list) list.push(x);
    else this.map.set(sid, [x]);
  }
  remove(sid: number, x: number): boolean {
    const list = this.map.get(sid);
    const i = list?.indexOf(x) ?? -1;
    if (i < 0) return false;
    list!.splice(i, 1);
    if (list!.length === 0) this.map.delete(sid);
    return true;
  }
}

/** A small deterministic generator (xorshift32). */
function random(seed: number) {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const lists = (l: ListsBySid<number>) => [...l.values()].map((v) => [...v]);
const loopLists = (l: ListsBySid<number>) => {
  const out: number[][] = [];
  for (let s = l.first(); s >= 0; s = l.after(s)) if (l.at(s).length) out.push([...l.at(s)]);
  return out;
};

describe("ListsBySid", () => {
  test("20,000 random pushes and removals: the same lists, in the same order, as the Map", () => {
    const next = random(7), l = new ListsBySid<number>(), ref = new Reference();
    let item = 0;
    for (let step = 0; step < 20_000; step++) {
      const sid = next(12) * 1000 + 3; // sparse sids
      if (next(3) === 0) {
        const list = ref.map.get(sid);
        const x = list ? list[next(list.length)] : -1;
        expect(l.remove(sid, x)).toBe(ref.remove(sid, x));
      } else {
        l.push(sid, item);
        ref.push(sid, item++);
      }
      if (step % 97 === 0) {
        const want = [...ref.map.values()].map((v) => [...v]);
        expect(lists(l)).toEqual(want);
        expect(loopLists(l)).toEqual(want);
        expect(l.size).toBe(ref.map.size);
        for (let k = 0; k < 12; k++) expect(l.get(k * 1000 + 3)).toEqual(ref.map.get(k * 1000 + 3));
      }
    }
  });

  test("a list emptied inside the loop (the current one or the next) leaves the others visited", () => {
    const l = new ListsBySid<string>();
    for (const [sid, x] of [[1, "a"], [2, "b"], [3, "c"], [4, "d"]] as const) l.push(sid, x);
    const seen: string[] = [];
    for (let s = l.first(); s >= 0; s = l.after(s)) {
      const list = l.at(s);
      if (list.length === 0) continue;
      seen.push(list[0]);
      if (list[0] === "a") l.remove(1, "a"); // the current list
      if (list[0] === "b") {
        l.remove(2, "b");
        l.remove(3, "c"); // and the next one
      }
    }
    expect(seen).toEqual(["a", "b", "d"]);
    expect(lists(l as unknown as ListsBySid<number>)).toEqual([["d"]]);
    l.push(1, "e"); // back at the end, as a Map re-adds a deleted key
    expect([...l.values()]).toEqual([["d"], ["e"]]);
  });
});
