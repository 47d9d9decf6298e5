/**
 * The backtest's progress bar on a terminal: sessions done of the run's sessions, the share and
 * the time left, redrawn on one line of stderr at most ten times a second, and cleared at the end
 * (the summary states the run's one timing). Warnings clear the line before they are written
 * (log.ts) and the bar comes back at the next session.
 */
import type { Progress } from "../../bundles/mod.ts";
import { count } from "../metrics/format.ts";

/**
 * A progress bar counting sessions.
 *
 * @example
 * ```ts
 * const progress = sessionProgress(io.stderr); // backtest [######      ] 1,204/2,517  48%  ETA 2s
 * ```
 */
export function sessionProgress(
  write: (text: string) => void,
  now: () => number = () => performance.now(),
): Progress {
  let label = "", total = 0, done = 0, t0 = 0, drawn = -Infinity;
  const draw = () => {
    const secs = (now() - t0) / 1000;
    const pct = total ? done / total : 1;
    const left = done > 0 ? Math.max(0, Math.round(secs / done * (total - done))) : NaN;
    const width = 30, fill = Math.round(pct * width);
    write(
      `\r\x1b[2K${label} [${"#".repeat(fill)}${" ".repeat(width - fill)}] ` +
        `${count(done)}/${count(total)}  ` +
        `${Math.floor(pct * 100)}%  ETA ${Number.isNaN(left) ? "…" : `${left}s`}`,
    );
  };
  return {
    start(l, n) {
      label = l, total = n, done = 0, t0 = now(), drawn = -Infinity;
    },
    tick(items) {
      done += items;
      const t = now();
      if (t - drawn < 100 && done < total) return;
      drawn = t;
      draw();
    },
    done() {
      write("\r\x1b[2K");
    },
    note(message) {
      write(`\r\x1b[2K${message}\n`);
    },
  };
}
