/**
 * A growing byte buffer for text encoders: ASCII written straight into it, whole numbers as
 * digits, no string per line. Anything outside ASCII goes through `TextEncoder`.
 *
 * @module
 */
import { ymdFromDay } from "../../../calendars/days.ts";

const encoder = new TextEncoder();

export class ByteWriter {
  buf: Uint8Array;
  at = 0;
  #view: DataView;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
    this.#view = new DataView(this.buf.buffer);
  }

  /**
   * Writes again the `length` bytes written at `from` (a value repeated on many rows: a day's
   * date, an instant), copied a 32-bit word at a time: a 20-character instant is five loads and
   * stores, not twenty characters read from a string.
   */
  repeat(from: number, length: number): void {
    if (this.at + length + 4 > this.buf.length) this.reserve(length + 4);
    const view = this.#view, buf = this.buf, at = this.at, words = length & ~3;
    for (let k = 0; k < words; k += 4) view.setUint32(at + k, view.getUint32(from + k));
    for (let k = words; k < length; k++) buf[at + k] = buf[from + k];
    this.at = at + length;
  }

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
    this.#view = new DataView(next.buffer);
  }

  byte(b: number): void {
    if (this.at === this.buf.length) this.reserve(1);
    this.buf[this.at++] = b;
  }

  /** Bytes made once and written many times (a JSON record's keys). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.at + n > this.buf.length) this.reserve(n);
    const buf = this.buf, at = this.at;
    for (let k = 0; k < n; k++) buf[at + k] = b[k];
    this.at = at + n;
  }

  /** A string (UTF-8). */
  text(s: string): void {
    const n = s.length;
    this.reserve(n);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) {
        // Not ASCII: let the encoder write the rest (at most 3 bytes per UTF-16 unit).
        this.at = at;
        this.reserve((n - i) * 3);
        this.at += encoder.encodeInto(s.slice(i), this.buf.subarray(this.at)).written;
        return;
      }
      buf[at++] = c;
    }
    this.at = at;
  }

  /** A whole number (|v| < 2^53) as decimal digits. */
  int(v: number): void {
    if (v >= 0 && v < 2147483648) return this.#smallInt(v | 0);
    if (!Number.isSafeInteger(v)) return this.text(String(v));
    this.reserve(24);
    const buf = this.buf;
    if (v < 0) {
      buf[this.at++] = 45; // "-"
      v = -v;
      if (v < 2147483648) return this.#smallInt(v | 0);
    }
    let digits = 0;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) digits++;
    let end = this.at + digits;
    this.at = end;
    while (v >= 1) {
      const q = Math.floor(v / 10);
      buf[--end] = 48 + (v - q * 10);
      v = q;
    }
  }

  /** 0 ≤ v < 2^31, in 32-bit integer arithmetic (most cells: counts, sids, share amounts). */
  #smallInt(v: number): void {
    if (this.at + 10 > this.buf.length) this.reserve(10);
    const buf = this.buf;
    if (v < 10) {
      buf[this.at++] = 48 + v;
      return;
    }
    let digits = 2;
    for (let x = v; x >= 100; x = (x / 10) | 0) digits++;
    let end = this.at + digits;
    this.at = end;
    while (v > 0) {
      const q = (v / 10) | 0;
      buf[--end] = 48 + v - q * 10;
      v = q;
    }
  }

  /**
   * A number with at most four decimals (share counts, prices in ticks of 0.0001, zero
   * commissions: most cells of the side tables), written digit by digit as JavaScript's
   * `String(v)` writes it — or false, writing nothing, for any other number. `dotZero` writes
   * whole numbers as `3.0` (pandas' floats).
   *
   * Exact: `s / 1e4` is the double nearest the decimal `s × 10⁻⁴` (IEEE division rounds
   * correctly), so when it equals `v` that decimal reads back as `v`; below 1e11 two decimals
   * of four places are further apart than two doubles, so it is the only one, and the shortest.
   */
  decimal(v: number, dotZero: boolean): boolean {
    let frac = 0; // the four decimals, 0…9999
    if (v >= 0 && v < 2147483648 && v === (v | 0)) this.#smallInt(v); // whole: no scaling
    else {
      if (!(v > -1e11 && v < 1e11)) return false;
      const scaled = Math.round(v * 1e4);
      if (scaled / 1e4 !== v) return false;
      if (v < 0) this.byte(45);
      const abs = Math.abs(scaled), whole = Math.floor(abs / 1e4);
      frac = abs - whole * 1e4;
      this.int(whole);
    }
    if (frac === 0) {
      if (dotZero) {
        this.byte(46);
        this.byte(48);
      }
      return true;
    }
    let digits = 4;
    while (frac % 10 === 0) {
      frac = (frac / 10) | 0;
      digits--;
    }
    this.reserve(5);
    const buf = this.buf, at = this.at;
    buf[at] = 46; // "."
    for (let k = digits; k > 0; k--) {
      const q = (frac / 10) | 0;
      buf[at + k] = 48 + frac - q * 10;
      frac = q;
    }
    this.at = at + 1 + digits;
    return true;
  }

  /**
   * `YYYY-MM-DD` of a day number, as `isoDate` writes it, straight into the buffer (no string);
   * years outside 0…9999 are left to `isoDate` by the caller (false, nothing written).
   */
  isoDay(dayNumber: number): boolean {
    if (!Number.isInteger(dayNumber)) return false;
    const [y, m, d] = ymdFromDay(dayNumber);
    if (!(y >= 0 && y <= 9999)) return false;
    this.reserve(10);
    const buf = this.buf, at = this.at;
    this.#digits(at, y, 4);
    buf[at + 4] = 45; // "-"
    this.#digits(at + 5, m, 2);
    buf[at + 7] = 45;
    this.#digits(at + 8, d, 2);
    this.at = at + 10;
    return true;
  }

  /**
   * `2024-07-03T21:00:00Z` (`.123` only when the milliseconds are set), as `isoInstant` writes
   * it; false, writing nothing, for an instant that is not finite or outside the years 0…9999.
   */
  isoInstant(ms: number): boolean {
    if (!Number.isFinite(ms)) return false;
    ms = Math.trunc(ms); // a Date keeps whole milliseconds
    const days = Math.floor(ms / 86_400_000);
    let rest = ms - days * 86_400_000;
    if (!this.isoDay(days)) return false;
    this.reserve(14);
    const buf = this.buf, at = this.at;
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const min = Math.floor(rest / 60_000);
    rest -= min * 60_000;
    const sec = Math.floor(rest / 1000), milli = rest - sec * 1000;
    buf[at] = 84; // "T"
    this.#digits(at + 1, h, 2);
    buf[at + 3] = 58; // ":"
    this.#digits(at + 4, min, 2);
    buf[at + 6] = 58;
    this.#digits(at + 7, sec, 2);
    let end = at + 9;
    if (milli !== 0) {
      buf[end] = 46; // "."
      this.#digits(end + 1, milli, 3);
      end += 4;
    }
    buf[end] = 90; // "Z"
    this.at = end + 1;
    return true;
  }

  /** `v` (0 ≤ v < 10^width, whole) as `width` digits with leading zeros, at `at`. */
  #digits(at: number, v: number, width: number): void {
    const buf = this.buf;
    for (let k = width - 1; k >= 0; k--) {
      const q = (v / 10) | 0;
      buf[at + k] = 48 + v - q * 10;
      v = q;
    }
  }

  /** The bytes written (a view; copy before writing more). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}

/**
 * Two writers taking turns for the pieces of an output (`csvPieces`, `jsonPieces`): a piece
 * handed out stays as it is until the one after it is written. The second writer is made only
 * when a second piece is (an output in one piece needs one buffer). Outputs written one after
 * the other share one pair (`start` for each): a run's four tables touch 0.5 MB of buffers, not 2.
 */
export class PieceWriters {
  readonly #writers: ByteWriter[];
  #turn = 0;

  constructor(private readonly capacity: number) {
    this.#writers = [new ByteWriter(capacity)];
  }

  /** The first writer, emptied, for the first piece of an output. */
  start(): ByteWriter {
    this.#turn = 0;
    const w = this.#writers[0];
    w.at = 0;
    return w;
  }

  /** The writer of the piece being made. */
  get current(): ByteWriter {
    return this.#writers[this.#turn];
  }

  /** The other writer, emptied, for the next piece. */
  next(): ByteWriter {
    this.#turn ^= 1;
    const w = this.#writers[this.#turn] ??= new ByteWriter(this.capacity);
    w.at = 0;
    return w;
  }
}
