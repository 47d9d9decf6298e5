/**
 * A growing byte buffer for text encoders: ASCII written straight into it, whole numbers as
 * digits, no string per line. Anything outside ASCII goes through `TextEncoder`.
 *
 * @module
 */
const encoder = new TextEncoder();

export class ByteWriter {
  buf: Uint8Array;
  at = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.at === this.buf.length) this.reserve(1);
    this.buf[this.at++] = b;
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

  /** Already-encoded bytes. */
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  /** A whole number (|v| < 2^53) as decimal digits. */
  int(v: number): void {
    if (!Number.isSafeInteger(v)) return this.text(String(v));
    this.reserve(24);
    const buf = this.buf;
    if (v < 0) {
      buf[this.at++] = 45; // "-"
      v = -v;
    }
    if (v < 10) {
      buf[this.at++] = 48 + v;
      return;
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

  /** The bytes written (a view; copy before writing more). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}
