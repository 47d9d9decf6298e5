import { describe, expect, test } from "vitest";
import { AdjustmentFactors, pricingAdjustments, streamProgress } from "../../bundles/mod.ts";

describe("progress", () => {
  test("plain lines when not a terminal, at most one per 10 %", () => {
    const out: string[] = [];
    const p = streamProgress((t) => out.push(t), false);
    p.start("reading daily files", 100);
    for (let i = 0; i < 100; i++) p.tick(1, 10);
    p.done("100 files");
    expect(out.length).toBe(12); // 0 %, 10 % … 100 %, and the summary
    expect(out[0]).toMatch(/^reading daily files: 1\/100 \(1%\), \d+ rows\/s\n$/);
    expect(out[11]).toMatch(/^reading daily files: 100 files in \d+\.\d\d s\n$/);
  });
  test("a redrawn bar on a terminal", () => {
    const out: string[] = [];
    const p = streamProgress((t) => out.push(t), true);
    p.start("x", 4);
    p.tick(2, 100);
    expect(out[0]).toMatch(/^\rx \[#{15} {15}\] 2\/4 [\d,]+ rows\/s ETA \d\d:\d\d/);
  });
});

describe("adjustments", () => {
  const D = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
  const adj = [
    { sid: 1, day: D("2024-01-10"), ratio: 0.5, kind: "split" as const },
    { sid: 1, day: D("2024-01-20"), ratio: 0.98, kind: "dividend" as const },
    { sid: 2, day: D("2024-01-15"), ratio: 0.9, kind: "merger" as const },
  ];
  test("factors apply to bars strictly before the effective date, once it is reached", () => {
    const f = new AdjustmentFactors([1, 2], adj, "price");
    expect(f.factor(0, D("2024-01-05"), D("2024-01-09"))).toBe(1); // not reached yet
    expect(f.factor(0, D("2024-01-05"), D("2024-01-10"))).toBe(0.5);
    expect(f.factor(0, D("2024-01-10"), D("2024-01-31"))).toBe(0.98); // the split day itself is post-split
    expect(f.factor(0, D("2024-01-05"), D("2024-01-31"))).toBeCloseTo(0.49, 15);
    expect(f.factor(1, D("2024-01-05"), D("2024-01-31"))).toBe(0.9);
    const v = new AdjustmentFactors([1, 2], adj, "volume");
    expect(v.factor(0, D("2024-01-05"), D("2024-01-31"))).toBe(2); // splits only, inverted
    expect(v.factor(1, D("2024-01-05"), D("2024-01-31"))).toBe(1);
  });
  test("zipline's pricing-adjustment keys: session index, volume takes splits only", () => {
    const sessions = Float64Array.from(
      ["2024-01-09", "2024-01-10", "2024-01-16", "2024-01-22"],
      (s) => D(s) * 86_400_000,
    );
    const [close, volume] = pricingAdjustments(adj, ["close", "volume"], sessions);
    expect([...close.keys()].sort()).toEqual([1, 2, 3]); // 01-15 is no session: searchsorted right → 2; 01-20 → 3
    expect([...volume.keys()]).toEqual([1]);
    expect(volume.get(1)![0].ratio).toBe(2);
  });
});
