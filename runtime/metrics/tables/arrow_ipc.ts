/**
 * Tables as Arrow IPC bytes, written straight from their columns: the stream format (what the
 * Parquet writer reads) and the file format (`-o x.arrow`: `pyarrow.ipc.open_file`,
 * `pandas.read_feather`). The layout is the Arrow columnar format's "Serialization and
 * Interprocess Communication" (arrow.apache.org/docs/format/Columnar.html#ipc), metadata version
 * V5: a schema message and record batch messages (one for a stream, one per block of rows for a
 * file), and for a file the magic, the footer and the blocks that point at the messages.
 *
 * Why not `apache-arrow`'s `tableToIPC`: loading that package costs 40 ms of a process, building
 * its vectors from the columns another 15 ms warm (four times that on a cold run), and its writer
 * copies every buffer once more into the output. Here each column's buffers are copied once, into
 * the message body.
 *
 * @module
 */
import { type ArrowColumn, arrowColumn, type ArrowType } from "./arrow.ts";
import { ByteWriter, PieceWriters } from "./bytes.ts";
import { FlatBuilder } from "./flat_builder.ts";
import { BLOCK_ROWS, blocksOf, type Column, type Table } from "./table.ts";

/** Schema.fbs: MetadataVersion.V5, MessageHeader.Schema / RecordBatch, Type ids, units. */
const V5 = 4, SCHEMA = 1, RECORD_BATCH = 3;
const TYPE = { int: 2, float: 3, utf8: 5, bool: 6, date: 8, timestamp: 10 } as const;
const DAY = 0, MILLISECOND = 1, DOUBLE = 2;

/** A field's Type table: the union's type id and the table. */
function fieldType(b: FlatBuilder, type: ArrowType): [number, number] {
  switch (type) {
    case "date32":
      b.startObject(1);
      b.fieldInt16(0, DAY); // Date.unit (its default is MILLISECOND)
      return [TYPE.date, b.endObject()];
    case "timestamp_ms_utc": {
      const tz = b.string("UTC");
      b.startObject(2);
      b.fieldInt16(0, MILLISECOND);
      b.fieldRef(1, tz);
      return [TYPE.timestamp, b.endObject()];
    }
    case "int32":
    case "int64":
      b.startObject(2);
      b.fieldInt32(0, type === "int32" ? 32 : 64); // bitWidth
      b.fieldInt8(1, 1); // is_signed
      return [TYPE.int, b.endObject()];
    case "float64":
      b.startObject(1);
      b.fieldInt16(0, DOUBLE);
      return [TYPE.float, b.endObject()];
    case "bool":
      b.startObject(0);
      return [TYPE.bool, b.endObject()];
    case "utf8":
      b.startObject(0);
      return [TYPE.utf8, b.endObject()];
  }
}

/** A Schema table: every field nullable (zipline's None is an Arrow null), no children. */
function schema(b: FlatBuilder, columns: readonly ArrowColumn[]): number {
  const fields = columns.map((c) => {
    const name = b.string(c.name);
    const [typeId, type] = fieldType(b, c.type);
    const children = b.refs([]);
    b.startObject(7);
    b.fieldRef(0, name);
    b.fieldInt8(1, 1); // nullable
    b.fieldInt8(2, typeId);
    b.fieldRef(3, type);
    b.fieldRef(5, children);
    return b.endObject();
  });
  const list = b.refs(fields);
  b.startObject(4);
  b.fieldInt16(0, 0); // little-endian
  b.fieldRef(1, list);
  return b.endObject();
}

/** A Message table around a header (`kind`: schema or record batch). */
function message(b: FlatBuilder, kind: number, header: number, bodyLength: number): Uint8Array {
  b.startObject(5);
  b.fieldInt16(0, V5);
  b.fieldInt8(1, kind);
  b.fieldRef(2, header);
  b.fieldInt64(3, bodyLength);
  return b.finish(b.endObject());
}

/** A column's buffers in the body's order: validity, then (Utf8) offsets, then values. */
function buffersOf(c: ArrowColumn): Uint8Array[] {
  const bytes = (v: ArrayBufferView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const valid = c.nullBitmap ?? new Uint8Array(0);
  return c.offsets ? [valid, bytes(c.offsets), bytes(c.data)] : [valid, bytes(c.data)];
}

const pad8 = (n: number) => (n + 7) & ~7;

/** One framed message (continuation, metadata length, metadata padded to 8) and its body. */
interface Framed {
  meta: Uint8Array;
  body: Uint8Array[];
  bodyLength: number;
}

function framedLength(m: Framed): number {
  return 8 + pad8(m.meta.length) + m.bodyLength;
}

function recordBatch(columns: readonly ArrowColumn[], length: number): Framed {
  const body = columns.flatMap(buffersOf), spans: number[] = [], nodes: number[] = [];
  let at = 0;
  for (const buf of body) {
    spans.push(at, buf.length);
    at += pad8(buf.length);
  }
  for (const c of columns) nodes.push(c.length, c.nullCount);
  const b = new FlatBuilder();
  const buffers = b.int64Structs(spans, 2), fieldNodes = b.int64Structs(nodes, 2);
  b.startObject(5);
  b.fieldInt64(0, length);
  b.fieldRef(1, fieldNodes);
  b.fieldRef(2, buffers);
  const header = b.endObject();
  return { meta: message(b, RECORD_BATCH, header, at), body, bodyLength: at };
}

function schemaMessage(columns: readonly ArrowColumn[]): Framed {
  const b = new FlatBuilder();
  return { meta: message(b, SCHEMA, schema(b, columns), 0), body: [], bodyLength: 0 };
}

/** Writes `m` at `at` in `out`; returns where it ends. The bytes between stay zero. */
function put(out: Uint8Array, at: number, m: Framed): number {
  const view = new DataView(out.buffer, out.byteOffset);
  view.setInt32(at, -1, true); // continuation marker 0xFFFFFFFF
  view.setInt32(at + 4, pad8(m.meta.length), true);
  out.set(m.meta, at + 8);
  let body = at + 8 + pad8(m.meta.length);
  for (const buf of m.body) {
    out.set(buf, body);
    body += pad8(buf.length);
  }
  return body;
}

const MAGIC = new TextEncoder().encode("ARROW1");

/**
 * A table as Arrow IPC bytes in the stream format (what the Parquet writer hands parquet-wasm),
 * a record batch per block of rows as the file has them (`ipcPieces`), in one buffer sized after
 * the first batch. `wideInts` writes counts as Int64 (pandas' int64).
 */
export function arrowIpc(t: Table, wideInts = false): Uint8Array {
  const out = new ByteWriter(1 << 16), rowsInFirst = t.blocks ? Math.min(t.length, BLOCK_ROWS) : 0;
  let k = 0;
  for (const piece of ipcPieces(t, false, wideInts, new PieceWriters(1 << 18))) {
    // Piece 1 is the first batch: the rest are about as long per row.
    if (k++ === 1 && rowsInFirst > 0) {
      out.reserve(Math.ceil(piece.length * t.length / rowsInFirst) + 4096);
    }
    out.reserve(piece.length);
    out.buf.set(piece, out.at);
    out.at += piece.length;
  }
  return out.view();
}

/**
 * The file's footer: the schema again and a Block per record batch (`batches`: offset, metadata
 * length and body length of each, in order), as File.fbs has them.
 */
function fileFooter(columns: readonly ArrowColumn[], batches: readonly number[]): Uint8Array {
  const b = new FlatBuilder();
  const s = schema(b, columns);
  b.startVector(24, batches.length / 3, 8); // Block: offset, metaDataLength (+4 padding), bodyLength
  for (let k = batches.length - 3; k >= 0; k -= 3) { // a vector is built from its end
    b.int64(batches[k + 2]);
    b.int32(0);
    b.int32(batches[k + 1]);
    b.int64(batches[k]);
  }
  const blocks = b.endVector(), none = b.refs([]);
  b.startObject(5);
  b.fieldInt16(0, V5);
  b.fieldRef(1, s);
  b.fieldRef(2, none);
  b.fieldRef(3, blocks);
  return b.finish(b.endObject());
}

/**
 * The tables to write a batch each: `t`'s blocks, or `t` whole when it has a recorded column,
 * whose Arrow type is decided over all its values (the perf table, which has no blocks anyway).
 */
function* batchesOf(t: Table): Generator<Table> {
  let first = true;
  for (const block of blocksOf(t)) {
    if (first && block !== t && block.columns.some((c) => c.kind === "cells")) {
      yield t;
      return;
    }
    first = false;
    yield block;
  }
}

/** Column `c` with its first `n` values only (a block's reused arrays can be longer than it). */
function firstRows(c: Column, n: number): Column {
  const v = c.values;
  if (v.length === n) return c;
  const values = ArrayBuffer.isView(v)
    ? (v as Float64Array | Uint8Array).subarray(0, n)
    : Array.prototype.slice.call(v, 0, n);
  return { ...c, values } as Column;
}

/**
 * A table as an Arrow IPC file (`-o x.arrow`) in pieces: the magic and schema, a record batch
 * per block of rows (`blocksOf`: 4,096 rows of a side table made at a time into reused arrays),
 * then the end-of-stream marker and the footer listing the batches. Built whole, a 100 × 2,520
 * run's side tables were 25 MB of columns and as much again of output, memory the process had
 * never touched (a page fault per 4 KB); a block at a time they are a few hundred KB. The pieces
 * take turns in two buffers, as `csvPieces`' do: one stays intact until the one after the next is
 * asked for.
 */
export function arrowFilePieces(
  t: Table,
  turns = new PieceWriters(1 << 18),
): Generator<Uint8Array> {
  return ipcPieces(t, true, false, turns);
}

/**
 * A table's Arrow IPC messages in pieces, the file format's (`file`: the magic first, the footer
 * last) or the stream's: the schema, a record batch per table of `batchesOf`, the end of stream.
 */
function* ipcPieces(
  t: Table,
  file: boolean,
  wideInts: boolean,
  turns: PieceWriters,
): Generator<Uint8Array> {
  // A block makes at most two pieces (the schema, its batch), which the two writers of `turns`
  // hold until both are handed out: each is taken before the next block is made.
  const ready: Uint8Array[] = [];
  const s = new IpcStream((piece) => ready.push(piece), file, wideInts, turns);
  for (const block of batchesOf(t)) {
    s.add(block);
    yield* ready;
    ready.length = 0;
  }
  s.end();
  yield* ready;
}

/**
 * A table's Arrow IPC messages made as its blocks of rows come (`add`, one after another, as
 * `batchesOf` gives them; `end` after the last): each piece goes to `sink` at once — the same
 * bytes `ipcPieces` makes of those blocks. For a table written while its rows are still being
 * recorded (`table_stream.ts`). `sink` must be done with a piece when it returns: its buffer is
 * written over two pieces later.
 */
export class IpcStream {
  readonly #batches: number[] = [];
  readonly #scratch: ByteWriter[] = []; // per text column, reused by every batch
  #schema: ArrowColumn[] | null = null;
  #at = 0;
  #w: ByteWriter;

  constructor(
    private readonly sink: (piece: Uint8Array) => void,
    private readonly file: boolean,
    private readonly wideInts: boolean,
    private readonly turns = new PieceWriters(1 << 18),
  ) {
    this.#w = turns.start();
  }

  add(block: Table): void {
    const columns = block.columns.map((c, j) =>
      arrowColumn(
        firstRows(c, block.length),
        block.length,
        this.wideInts,
        c.kind === "text" ? this.#scratch[j] ??= new ByteWriter(1 << 16) : undefined,
      )
    );
    let w = this.#w;
    if (this.#schema === null) {
      this.#schema = columns;
      const head = schemaMessage(columns), lead = this.file ? 8 : 0; // "ARROW1", 2 bytes pad
      this.#at = lead + framedLength(head);
      w.reserve(this.#at);
      w.buf.fill(0, 0, this.#at);
      if (this.file) w.buf.set(MAGIC, 0);
      put(w.buf, lead, head);
      w.at = this.#at;
      w = this.#hand(w);
    }
    if (block.length === 0 && this.#batches.length > 0) return; // only an empty table's batch
    const batch = recordBatch(columns, block.length), size = framedLength(batch);
    w.reserve(size);
    w.buf.fill(0, 0, size); // the padding between buffers: zero, as in a new array
    put(w.buf, 0, batch);
    w.at = size;
    this.#batches.push(this.#at, 8 + pad8(batch.meta.length), batch.bodyLength);
    this.#at += size;
    this.#hand(w);
  }

  /** The end of stream, and for a file the footer. */
  end(): void {
    const w = this.#w;
    const footer = this.file ? fileFooter(this.#schema ?? [], this.#batches) : null;
    const size = 8 + (footer ? footer.length + 4 + 6 : 0);
    w.reserve(size);
    w.buf.fill(0, 0, size);
    const view = new DataView(w.buf.buffer);
    view.setInt32(0, -1, true); // end of stream: a continuation marker and a zero length
    if (footer) {
      w.buf.set(footer, 8);
      view.setInt32(8 + footer.length, footer.length, true);
      w.buf.set(MAGIC, 12 + footer.length);
    }
    w.at = size;
    this.sink(w.view());
  }

  /** Hands `w`'s piece to the sink; the writer of the next piece. */
  #hand(w: ByteWriter): ByteWriter {
    this.sink(w.view());
    return this.#w = this.turns.next();
  }
}
