/**
 * The TWS API socket framing, server side (API v100+): the client opens with `API\0`, a 4-byte
 * big-endian length and a version range `v<min>..<max>`; after that every message either way is a
 * 4-byte big-endian length followed by null-terminated fields (`field\0field\0…`). The server's
 * first message carries its chosen version and connection time.
 */

/** One outgoing field: numbers and strings as text, booleans as 1/0, null and undefined empty. */
export type Field = string | number | boolean | null | undefined;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A whole frame: length prefix, then the fields each followed by `\0`. */
export function frame(fields: readonly Field[]): Uint8Array {
  let text = "";
  for (const f of fields) {
    text += (f === null || f === undefined ? "" : typeof f === "boolean" ? (f ? "1" : "0") : f) +
      "\0";
  }
  const body = encoder.encode(text);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** What the reader found in the byte stream. */
export type Inbound =
  | { kind: "hello"; min: number; max: number; options: string }
  | { kind: "message"; fields: string[] }
  | { kind: "garbage"; reason: string };

const API_PREFIX = "API\0";

/** Splits a client's byte stream into its handshake and messages. */
export class FrameReader {
  private buf = new Uint8Array(0);
  private greeted = false;

  /** Appends bytes; returns every complete handshake or message now available. */
  push(chunk: Uint8Array): Inbound[] {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    this.buf = joined;
    const out: Inbound[] = [];
    if (!this.greeted) {
      if (this.buf.length < 8) return out;
      if (decoder.decode(this.buf.subarray(0, 4)) !== API_PREFIX) {
        this.buf = new Uint8Array(0);
        return [{ kind: "garbage", reason: "the connection did not start with API\\0" }];
      }
      const len = new DataView(this.buf.buffer, this.buf.byteOffset).getUint32(4);
      if (this.buf.length < 8 + len) return out;
      const text = decoder.decode(this.buf.subarray(8, 8 + len));
      this.buf = this.buf.slice(8 + len);
      this.greeted = true;
      const [range, ...rest] = text.split(" ");
      const m = /^v(\d+)(?:\.\.(\d+))?$/.exec(range);
      if (!m) return [{ kind: "garbage", reason: `bad version range "${text}"` }];
      out.push({
        kind: "hello",
        min: Number(m[1]),
        max: Number(m[2] ?? m[1]),
        options: rest.join(" "),
      });
    }
    while (this.buf.length >= 4) {
      const len = new DataView(this.buf.buffer, this.buf.byteOffset).getUint32(0);
      if (this.buf.length < 4 + len) break;
      const fields = decoder.decode(this.buf.subarray(4, 4 + len)).split("\0");
      if (fields[fields.length - 1] === "") fields.pop();
      this.buf = this.buf.slice(4 + len);
      out.push({ kind: "message", fields });
    }
    return out;
  }
}

/** Reads a request's fields in order, with TWS's conventions for empty values. */
export class FieldCursor {
  private i = 0;
  constructor(private readonly fields: readonly string[]) {}

  str(): string {
    return this.fields[this.i++] ?? "";
  }
  int(): number {
    const s = this.str();
    return s === "" ? 0 : parseInt(s, 10);
  }
  /** A price or other double; empty (unset) is null. */
  num(): number | null {
    const s = this.str();
    return s === "" ? null : Number(s);
  }
  bool(): boolean {
    const s = this.str();
    return s !== "" && s !== "0" && s.toLowerCase() !== "false";
  }
  skip(n = 1): void {
    this.i += n;
  }
  get rest(): string[] {
    return this.fields.slice(this.i);
  }
  /** Fields not read yet (negative: more were read than the message has). */
  get remaining(): number {
    return this.fields.length - this.i;
  }
}
