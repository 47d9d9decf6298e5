/** IdMap: what a Map keyed by the id strings does, with one numbered family filed by number. */
import { describe, expect, test } from "vitest";
import { IdMap } from "../../runtime/model/id_map.ts";

/** Ids that look alike but are different strings: each must stay its own key. */
const TRICKY = [
  "hvabc-0",
  "hvabc-00",
  "hvabc-01",
  "hvabc-1",
  "hvabc-10",
  "hvabc-",
  "hvabc-1x",
  "hvabc-x1",
  "hvab-1",
  "hvabcd-1",
  "1",
  "01",
  "",
  "hvabc-123456789012345",
  "hvabc-1234567890123456",
  "hvabc-9007199254740993",
  "ext",
  "ext-7",
  "hvabc--1",
  "hvabc-+1",
  "hvabc- 1",
  "hvabc-١",
];

/** The map and a Map hold the same values, in the same order, under each of `ids`. */
function expectSame<V>(m: IdMap<V>, map: Map<string, V>, ids: readonly string[]) {
  expect([...m.values()]).toEqual([...map.values()]);
  expect(m.size).toBe(map.size);
  for (const id of ids) expect(m.get(id)).toBe(map.get(id));
}

function random(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe("IdMap", () => {
  test("files the first numbered family by number and keeps every look-alike id apart", () => {
    const m = new IdMap<number>();
    m.set("hvabc-7", 7);
    for (const [i, id] of TRICKY.entries()) m.set(id, 100 + i);
    const map = new Map<string, number>([
      ["hvabc-7", 7],
      ...TRICKY.map((id, i) => [id, 100 + i] as const),
    ]);
    expectSame(m, map, ["hvabc-7", ...TRICKY]);
  });

  test("an id without a trailing number first: the family is learned from a later one", () => {
    const m = new IdMap<string>();
    m.set("ext", "a").set("42", "b").set("ord-5", "c").set("ord-05", "d");
    const map = new Map([["ext", "a"], ["42", "b"], ["ord-5", "c"], ["ord-05", "d"]]);
    expectSame(m, map, ["ext", "42", "ord-5", "ord-05", "ord-50"]);
  });

  test("an id looked up before its family was learned is found after it is set", () => {
    const m = new IdMap<number>();
    expect(m.get("ord-5")).toBeUndefined();
    m.set("ord-5", 1);
    expect(m.get("ord-6")).toBeUndefined();
    expect(m.get("ord-5")).toBe(1);
    expect(m.get(["ord", "5"].join("-"))).toBe(1);
    expect(m.delete("ord-5")).toBe(true);
    expect(m.size).toBe(0);
  });

  test("does what a Map does over random sets, gets and deletes", () => {
    const rnd = random(7);
    const pool = [...TRICKY, ...Array.from({ length: 60 }, (_, i) => `hvabc-${i}`)];
    const m = new IdMap<number>(), map = new Map<string, number>();
    for (let step = 0; step < 5_000; step++) {
      const id = pool[Math.floor(rnd() * pool.length)], r = rnd();
      if (r < 0.5) {
        m.set(id, step);
        map.set(id, step);
      } else if (r < 0.8) expect(m.delete(id)).toBe(map.delete(id));
      else expect(m.get(id)).toBe(map.get(id));
      expect(m.size).toBe(map.size);
    }
    expectSame(m, map, pool);
  });

  test("deleteFirst deletes the first values a test accepts, in insertion order", () => {
    const m = new IdMap<number>(), map = new Map<string, number>();
    for (const id of ["o-1", "x", "o-2", "o-3", "o-04", "o-5"]) {
      m.set(id, id.length);
      map.set(id, id.length);
    }
    expect(m.get("o-2")).toBe(3);
    expect(m.deleteFirst(3, (v) => v !== 1)).toBe(3);
    for (const id of ["o-1", "o-2", "o-3"]) map.delete(id);
    expectSame(m, map, ["o-1", "x", "o-2", "o-3", "o-04", "o-5"]);
    expect(m.deleteFirst(5, (v) => v === 3)).toBe(1);
    map.delete("o-5");
    expectSame(m, map, ["x", "o-04", "o-5"]);
    expect(m.deleteFirst(0, () => true)).toBe(0);
    expect(m.size).toBe(2);
  });

  test("deleteFirst keeps keys and values together while the map shrinks under it", () => {
    // 1,000 entries, 900 deleted in one call: the map's table is rebuilt smaller several times
    // during the walk, which must not put its key and value iterators out of step.
    const m = new IdMap<number>(), map = new Map<string, number>(), ids: string[] = [];
    for (let i = 1; i <= 1000; i++) {
      const id = i % 7 === 0 ? `other-${i}x` : `o-${i}`;
      ids.push(id);
      m.set(id, i);
      map.set(id, i);
    }
    const keep = (v: number) => v % 10 === 0;
    expect(m.deleteFirst(900, (v) => !keep(v))).toBe(900);
    for (const [id, v] of map) if (!keep(v)) map.delete(id);
    expectSame(m, map, ids);
    expect([...m.values()]).toEqual([...map.values()]);
  });

  test("a sender's numbers (hints) file ids as their digits would", () => {
    const m = new IdMap<string>(), map = new Map<string, string>(), ids: string[] = [];
    m.hint("o-1", 1); // before the family is known: not taken
    for (let i = 1; i <= 50; i++) {
      const id = `o-${i}`;
      ids.push(id);
      m.hint(id, i);
      expect(m.get(id)).toBeUndefined();
      m.set(id, id);
      map.set(id, id);
    }
    for (let i = 1; i <= 50; i += 7) {
      m.hint(`o-${i}`, i);
      expect(m.delete(`o-${i}`)).toBe(map.delete(`o-${i}`));
    }
    expectSame(m, map, [...ids, "o-51", "x"]);
  });

  test("hints that disagree with the first id's digits are never taken", () => {
    const m = new IdMap<string>();
    m.set("o-1", "o-1");
    m.hint("o-2", 3); // o-2 is number 2: hints are off for good
    m.set("o-2", "o-2");
    m.hint("o-4", 4); // even a right one now
    m.hint("o-5", 9);
    m.set("o-5", "o-5");
    expect([m.get("o-1"), m.get("o-2"), m.get("o-5"), m.get("o-9"), m.get("o-3")])
      .toEqual(["o-1", "o-2", "o-5", undefined, undefined]);
  });

  test("deleting while iterating the values goes on to the next, as a Map's iterator does", () => {
    const m = new IdMap<string>();
    for (let i = 1; i <= 6; i++) m.set(`o-${i}`, `o-${i}`);
    const seen: string[] = [];
    for (const id of m.values()) {
      seen.push(id);
      if (id !== "o-4") m.delete(id);
    }
    expect(seen).toEqual(["o-1", "o-2", "o-3", "o-4", "o-5", "o-6"]);
    expect([...m.values()]).toEqual(["o-4"]);
    expect(m.get("o-4")).toBe("o-4");
  });
});
