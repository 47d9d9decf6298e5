// Copied from shared/bench/gen_csvdir.mjs (the project's reference generator), so benchmarks here
// use byte-identical inputs to the published peer figures.
// Deterministic synthetic daily bars in zipline csvdir layout (OUT/daily/SYMnnnn.csv).
// Usage: deno run -A gen_csvdir.mjs OUT ASSETS DAYS [seed]   (also runs on Node).
// Dates are weekdays only (the 24/5 calendar); the recipe is in README.md.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const GOLDEN = 0x9E3779B9, START_TICKS = 1_000_000, MIN_TICKS = 100;
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1) >>> 0;
    t = (((t + (Math.imul(t ^ (t >>> 7), t | 61) >>> 0)) >>> 0) ^ t) >>> 0;
    return (t ^ (t >>> 14)) >>> 0;
  };
}
const fdiv = (a, b) => Math.floor(a / b); // exact: |a| < 2^53 and |a/b| < 2^30 here
export function* genSymbolRows(symIndex, days, baseSeed) {
  const rng = mulberry32((baseSeed + Math.imul(symIndex, GOLDEN)) >>> 0);
  let prev = START_TICKS;
  for (let d = 0; d < days; d++) {
    const rRet = rng(), rGap = rng(), rHi = rng(), rLo = rng(), rVol = rng();
    const retPpm = (rRet % 40001) - 20000, gapPpm = (rGap % 2001) - 1000;
    const hiPpm = rHi % 10001, loPpm = rLo % 10001;
    const close = Math.max(prev + fdiv(prev * retPpm, 1_000_000), MIN_TICKS);
    const open = Math.max(prev + fdiv(prev * gapPpm, 1_000_000), MIN_TICKS);
    const top = Math.max(open, close), bot = Math.min(open, close);
    const high = top + fdiv(top * hiPpm, 1_000_000);
    const low = Math.max(bot - fdiv(bot * loPpm, 1_000_000), MIN_TICKS);
    const volume = 100_000 + (rVol % 900_001);
    yield [open, high, low, close, volume];
    prev = close;
  }
}
export function weekdaySessions(startIso, n) {
  const out = []; let t = Date.parse(startIso + 'T00:00:00Z');
  while (out.length < n) { const wd = new Date(t).getUTCDay(); if (wd !== 0 && wd !== 6) out.push(new Date(t).toISOString().slice(0, 10)); t += 86400000; }
  return out;
}
const fmt = (p) => `${Math.floor(p / 10000)}.${String(p % 10000).padStart(4, '0')}`;
export const symbolName = (i) => 'SYM' + String(i).padStart(4, '0');
export function generate(outDir, assets, days, seed = 42, start = '2000-01-03') {
  const sessions = weekdaySessions(start, days);
  fs.mkdirSync(path.join(outDir, 'daily'), { recursive: true });
  const sha = {};
  for (let i = 0; i < assets; i++) {
    const lines = ['date,open,high,low,close,volume,dividend,split\n'];
    let d = 0;
    for (const [o, h, l, c, v] of genSymbolRows(i, days, seed >>> 0)) lines.push(`${sessions[d++]},${fmt(o)},${fmt(h)},${fmt(l)},${fmt(c)},${v},0.0,1.0\n`);
    const buf = Buffer.from(lines.join(''), 'ascii');
    fs.writeFileSync(path.join(outDir, 'daily', symbolName(i) + '.csv'), buf);
    sha[symbolName(i)] = crypto.createHash('sha256').update(buf).digest('hex');
  }
  return sha;
}
if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, a, d, seed = '42'] = process.argv.slice(2);
  const sha = generate(out, Number(a), Number(d), Number(seed));
  console.log(JSON.stringify({ assets: Number(a), days: Number(d), seed: Number(seed), sha256: sha }));
}
