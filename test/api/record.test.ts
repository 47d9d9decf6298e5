/**
 * `record` with positional arguments, as zipline-reloaded's `algorithm.py` `record` defines it:
 * `zip(*[iter(args)] * 2)` pairs names with values, so `record("a", 1, "b")` records `a = 1` and
 * the name left over is dropped (no error).
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
beforeAll(() => {
  root = tempRoot();
});

describe("record with an odd number of arguments", () => {
  test("records the pairs and drops the trailing name, from record() and context.record()", async () => {
    const strategy = await import(
      fileURLToPath(new URL("../fixtures/strategies/zipline_rules/odd_record.ts", import.meta.url))
    ) as Strategy;
    const r = await run_algorithm({
      strategy,
      start: "2014-01-02",
      end: "2014-01-08",
      root,
      no_benchmark: true,
    });
    expect([...r.recorded.keys()].sort()).toEqual(["bars", "twice"]);
    expect(r.recorded.get("bars")).toEqual([1, 2, 3, 4, 5]);
    expect(r.recorded.get("twice")).toEqual([2, 4, 6, 8, 10]);
    expect(r.columns).not.toContain("orphan");
    expect(r.columns).not.toContain("lonely");
  });
});
