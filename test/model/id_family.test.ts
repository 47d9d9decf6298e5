/**
 * IdFamily: the ids of the learned family are kept as numbers, every other id as itself, and
 * every key gives its id back exactly — whatever the order the ids come in.
 */
import { describe, expect, test } from "vitest";
import { IdFamily } from "../../runtime/model/id_family.ts";

const OTHERS = [
  "hvabc-007", // a leading zero: String(7) would not write it back
  "hvabc-0", // zero itself is of the family
  "hvabc-1234567890123456", // sixteen digits: past what a number keeps exactly
  "hvabc-", // no number
  "hvabc-12x",
  "hvabd-12", // another prefix
  "xhvabc-12",
  "12345", // all digits
  "",
  "abc",
  "hvabc-1e3",
];

describe("IdFamily", () => {
  test("keeps the family's ids as numbers, others as themselves, and gives each back", () => {
    const f = new IdFamily();
    expect(f.key("hvabc-5")).toBe("hvabc-5"); // before a family is known: the id
    f.learn("hvabc-17");
    expect(f.known).toBe(true);
    f.learn("other-3"); // a family, once learned, stays
    for (const n of [0, 1, 17, 65_000, 999_999_999_999_999]) {
      const id = `hvabc-${n}`;
      expect(f.key(id)).toBe(n);
      expect(f.id(f.key(id))).toBe(id);
    }
    for (const id of OTHERS.filter((x) => x !== "hvabc-0")) {
      expect(f.key(id), id).toBe(id);
      expect(f.id(f.key(id))).toBe(id);
    }
    expect(f.key("hvabc-0")).toBe(0);
  });

  test("a number's id is made once; numbers past the memo's limit still give their id", () => {
    const f = new IdFamily();
    f.learn("hvabc-1");
    const first = f.id(65_000);
    expect(first).toBe("hvabc-65000");
    expect(f.id(65_000)).toBe(first);
    for (const n of [2 ** 22 - 1, 2 ** 22, 2 ** 40, 999_999_999_999_999]) {
      expect(f.id(n)).toBe(`hvabc-${n}`);
      expect(f.key(f.id(n))).toBe(n);
    }
  });

  test("an id with no trailing number teaches no family", () => {
    const f = new IdFamily();
    for (const id of ["abc", "12345", ""]) f.learn(id);
    expect(f.known).toBe(false);
    expect(f.key("abc-1")).toBe("abc-1");
    f.learn("venue-9");
    expect(f.key("venue-10")).toBe(10);
    expect(f.id(10)).toBe("venue-10");
  });

  test("random ids round-trip and never share a key", () => {
    const f = new IdFamily();
    f.learn("p-1");
    const keys = new Map<string | number, string>();
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const digits = Array.from(
        { length: 1 + Math.floor(rnd() * 17) },
        () => String(Math.floor(rnd() * 10)),
      ).join("");
      const id = (rnd() < 0.8 ? "p-" : rnd() < 0.5 ? "q-" : "p") + digits;
      const key = f.key(id);
      expect(f.id(key)).toBe(id);
      const seen = keys.get(key);
      if (seen !== undefined) expect(seen).toBe(id);
      keys.set(key, id);
    }
    expect([...keys.keys()].filter((k) => typeof k === "number").length).toBeGreaterThan(500);
  });
});
