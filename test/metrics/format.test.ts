import { describe, expect, test } from "vitest";
import { count, money, percent, ratio } from "../../runtime/metrics/format.ts";

/** What the formatter replaced: Intl's en-US rendering, "-0.00" read as zero. */
function intl(x: number, digits: number): string {
  const s = x.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return /^-[0.,]+$/.test(s) ? s.slice(1) : s;
}

describe("report number formats", () => {
  test("money, ratio and count write what Intl's en-US format writes", () => {
    // Seeded values across magnitudes and signs, ties at every decimal included.
    let seed = 42;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const xs = [0, -0, 0.5, 1.5, 2.5, -2.5, 0.125, -0.125, 0.005, 999.995, 1e20, -1e20, 1e21, 2e25];
    for (let i = 0; i < 3000; i++) {
      const mag = 10 ** Math.floor(rand() * 16 - 6);
      xs.push((rand() - 0.5) * mag, Math.round((rand() - 0.5) * 1e6) / 1000);
    }
    for (const x of xs) {
      expect(money(x)).toBe(intl(x, 2));
      expect(money(x, 4)).toBe(intl(x, 4));
      expect(ratio(x, 3)).toBe(intl(x, 3));
      expect(count(x)).toBe(intl(x, 0));
    }
  });

  test("examples", () => {
    expect(money(-1234.5)).toBe("-1,234.50");
    expect(money(1234567.891)).toBe("1,234,567.89");
    expect(count(12345)).toBe("12,345");
    expect(count(999)).toBe("999");
    expect(percent(4085.42)).toBe("408,542.00%");
    expect(money(-0.001)).toBe("0.00");
    expect(money(NaN)).toBe("n/a");
    expect(money(-Infinity)).toBe("-inf");
  });
});
