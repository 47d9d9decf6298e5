/**
 * Ingest progress: a redrawn bar on a terminal (items done, rows/s, ETA), plain lines otherwise,
 * nothing when disabled.
 */

export interface Progress {
  /** Starts a phase of `total` items (symbols, pages, files). */
  start(label: string, total: number): void;
  /** `items` more items done, `rows` more rows written. */
  tick(items: number, rows?: number): void;
  /** Ends the phase with a summary line. */
  done(summary?: string): void;
  /** A one-off message (a warning, a notice). */
  note(message: string): void;
}

/** Progress that prints nothing. */
export const silentProgress: Progress = { start() {}, tick() {}, done() {}, note() {} };

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/** Progress written to `write`; `terminal` redraws one line, otherwise a line every ~10 %. */
export function streamProgress(write: (text: string) => void, terminal: boolean): Progress {
  let label = "", total = 0, done = 0, rows = 0, t0 = 0, lastPct = -1;
  const line = () => {
    const secs = (performance.now() - t0) / 1000;
    const rate = secs > 0 ? rows / secs : 0;
    const pct = total ? done / total : 1;
    const left = done > 0 ? (secs / done) * (total - done) : Infinity;
    return { secs, rate, pct, left };
  };
  return {
    start(l, n) {
      label = l, total = n, done = 0, rows = 0, t0 = performance.now(), lastPct = -1;
    },
    tick(items, r = 0) {
      done += items;
      rows += r;
      const { rate, pct, left } = line();
      if (terminal) {
        const width = 30, fill = Math.round(pct * width);
        write(
          `\r${label} [${"#".repeat(fill)}${" ".repeat(width - fill)}] ${done}/${total}` +
            ` ${Math.round(rate).toLocaleString("en-US")} rows/s ETA ${eta(left)}   `,
        );
      } else {
        const p = Math.floor(pct * 10);
        if (p > lastPct) {
          lastPct = p;
          write(
            `${label}: ${done}/${total} (${Math.round(pct * 100)}%), ${Math.round(rate)} rows/s\n`,
          );
        }
      }
    },
    done(summary) {
      const { secs } = line();
      if (terminal) write("\r\x1b[2K");
      write(`${label}: ${summary ?? `${done}/${total} done`} in ${secs.toFixed(2)} s\n`);
    },
    note(message) {
      if (terminal) write("\r\x1b[2K");
      write(`${message}\n`);
    },
  };
}
