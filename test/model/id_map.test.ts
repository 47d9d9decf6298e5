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

function random(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe("IdMap", () => {
  test("files the first numbered family by number and returns every id as it was set", () => {
    const m = new IdMap<number>();
    m.set("hvabc-7", 7);
    for (const [i, id] of TRICKY.entries()) m.set(id, 100 + i);
    const map = new Map<string, number>([
      ["hvabc-7", 7],
      ...TRICKY.map((id, i) => [id, 100 + i] as const),
    ]);
    expect([...m]).toEqual([...map]);
    expect([...m.keys()]).toEqual([...map.keys()]);
    expect([...m.values()]).toEqual([...map.values()]);
    expect(m.size).toBe(map.size);
    for (const id of TRICKY) expect(m.get(id)).toBe(map.get(id));
  });

  test("an id without a trailing number first: the family is learned from a later one", () => {
    const m = new IdMap<string>();
    m.set("ext", "a").set("42", "b").set("ord-5", "c").set("ord-05", "d");
    expect([...m]).toEqual([["ext", "a"], ["42", "b"], ["ord-5", "c"], ["ord-05", "d"]]);
    expect(m.get("ord-5")).toBe("c");
    expect(m.get("ord-05")).toBe("d");
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
      else if (r < 0.99) {
        expect(m.get(id)).toBe(map.get(id));
        expect(m.has(id)).toBe(map.has(id));
      } else {
        m.clear();
        map.clear();
      }
      expect(m.size).toBe(map.size);
    }
    expect([...m.entries()]).toEqual([...map.entries()]);
  });

  test("deleteFirst deletes the first values a test accepts, in insertion order", () => {
    const m = new IdMap<number>(), map = new Map<string, number>();
    for (const id of ["o-1", "x", "o-2", "o-3", "o-04", "o-5"]) {
      m.set(id, id.length);
      map.set(id, id.length);
    }
    expect(m.get("o-2")).toBe(3);
    expect(m.deleteFirst(3, (v) => v !== 1)).toBe(3);
    expect([...m.keys()]).toEqual(["x", "o-04", "o-5"]);
    expect(m.get("o-2")).toBeUndefined();
    expect(m.deleteFirst(5, (v) => v === 3)).toBe(1);
    expect([...m]).toEqual([["x", 1], ["o-04", 4]]);
    expect(m.deleteFirst(0, () => true)).toBe(0);
    expect(m.size).toBe(2);
    expect(map.size).toBe(6);
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
    expect([...m.keys()]).toEqual(["o-4"]);
  });
});
