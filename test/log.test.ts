/**
 * The console logger on a terminal: simulation time on each warning, a repeated warning written
 * once and counted at the end, and a progress bar on the same line cleared first and drawn again
 * at the next session — so warnings and the bar never share a line.
 */
import { describe, expect, test } from "vitest";
import { consoleLogger, simTimeText } from "../runtime/log.ts";
import { sessionProgress } from "../runtime/cli/session_progress.ts";

const CLEAR = "\r\x1b[2K";

describe("consoleLogger on a terminal", () => {
  test("simulation time, repeats counted, the progress line cleared first", () => {
    let out = "", sim = Date.UTC(2013, 9, 30, 20), clock = 0;
    const write = (t: string) => void (out += t);
    const log = consoleLogger(write, true, { simTime: () => sim });
    const bar = sessionProgress(write, () => (clock += 1000));
    bar.start("backtest", 3);
    for (let i = 0; i < 3; i++) {
      bar.tick(1);
      log.warn("order_refused", { message: "Cannot place order for DELL." });
      sim += 86_400_000;
    }
    log.warn("other", { message: "once", sid: 3 });
    bar.done();
    log.flush!();
    const lines = out.split("\n");
    // The bar drew, the warning cleared its line and took it; the bar drew again below.
    expect(lines[0]).toBe(
      `${CLEAR}backtest [##########                    ] 1/3  33%  ETA 4s${CLEAR}warning (2013-10-30 20:00 UTC): Cannot place order for DELL.`,
    );
    expect(
      lines[1].startsWith(`${CLEAR}backtest [####################          ] 2/3  66%  ETA 2s`),
    )
      .toBe(true);
    expect(lines[1]).toContain(`${CLEAR}backtest [##############################] 3/3  100%`);
    expect(lines[1]).toMatch(/warning \(2013-11-02 20:00 UTC\): once \{"sid":3\}$/);
    expect(lines[2]).toBe(
      `${CLEAR}${CLEAR}warning (2013-10-30 20:00 UTC … 2013-11-01 20:00 UTC): Cannot place order for DELL. ×3`,
    );
    expect(lines[3]).toBe("");
  });

  test("no simulation time outside a run; times shown to the minute", () => {
    let out = "";
    const log = consoleLogger((t) => void (out += t), true);
    log.info("ingest", { message: "ingesting" });
    expect(out).toBe(`${CLEAR}info: ingesting\n`);
    expect(simTimeText(Date.UTC(2014, 0, 6, 14, 31))).toBe("2014-01-06 14:31 UTC");
    expect(simTimeText(Date.UTC(2014, 0, 6, 14, 31, 5))).toBe("2014-01-06 14:31:05 UTC");
  });
});
