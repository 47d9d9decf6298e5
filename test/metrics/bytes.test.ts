import { describe, expect, test } from "vitest";
import { ByteWriter } from "../../runtime/metrics/tables/bytes.ts";

const text = (w: ByteWriter) => new TextDecoder().decode(w.view());

describe("ByteWriter", () => {
  test("repeat copies what was written, whatever its length, across the buffer's growth", () => {
    const w = new ByteWriter(8); // grows many times below
    const samples = ["", "a", "ab", "abc", "abcd", "2000-03-10", "2000-03-11T00:00:00Z", "False"];
    let expected = "";
    for (const s of samples) {
      const from = w.at;
      w.text(s);
      w.byte(44);
      for (let k = 0; k < 5; k++) {
        w.repeat(from, s.length);
        w.byte(44);
      }
      expected += `${s},`.repeat(6);
    }
    expect(text(w)).toBe(expected);
  });

  test("whole numbers and four-decimal numbers as JavaScript writes them", () => {
    const w = new ByteWriter(4);
    const xs = [0, -0, 7, 10, 99, 100, 12345, 2147483647, 2147483648, -5, -2147483649, 2 ** 53 - 1];
    for (const x of xs) {
      w.int(x);
      w.byte(32);
    }
    expect(text(w)).toBe(xs.map((x) => `${String(x)} `).join(""));
    const v = new ByteWriter(4);
    const ds = [0, 1, 93, 106.4041, -2.5, 0.0001, 123456.789, 2147483648, 1e10 + 0.5];
    for (const x of ds) {
      expect(v.decimal(x, false)).toBe(true);
      v.byte(32);
      expect(v.decimal(x, true)).toBe(true);
      v.byte(32);
    }
    const py = (x: number) => (Number.isInteger(x) ? x.toFixed(1) : String(x));
    expect(text(v)).toBe(ds.map((x) => `${String(x)} ${py(x)} `).join(""));
    expect(new ByteWriter().decimal(0.12345, false)).toBe(false); // five decimals: not this path
  });

  test("every digit count, each power of ten and its neighbours, as String writes them", () => {
    const xs: number[] = [];
    for (let p = 1; p <= 2 ** 31; p *= 10) xs.push(p - 1, p, p + 1, 2 * p + 3);
    let seed = 5;
    for (let k = 0; k < 5000; k++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      xs.push(seed % 2 ** (1 + (k % 31)));
    }
    const w = new ByteWriter(16);
    for (const x of xs.filter((x) => x < 2 ** 31)) {
      w.int(x);
      w.byte(44);
    }
    expect(text(w)).toBe(xs.filter((x) => x < 2 ** 31).map((x) => `${x},`).join(""));
  });
});
