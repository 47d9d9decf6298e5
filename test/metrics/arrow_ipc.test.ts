/**
 * The Arrow IPC writer (`-o x.arrow`, and the stream the Parquet writer hands to parquet-wasm),
 * read back by two implementations that are not ours: apache-arrow's reader (JavaScript) and
 * arrow-rs inside parquet-wasm (Rust, which verifies the FlatBuffers before reading). Random
 * tables of every column kind come back with the types, nullability and values `arrowTable`
 * gives; the FlatBuffers builder writes what the `flatbuffers` package writes.
 */
import * as flatbuffers from "flatbuffers";
import { describe, expect, test } from "vitest";
import { arrowTable } from "../../runtime/metrics/tables/arrow.ts";
import { arrowFilePieces, arrowIpc } from "../../runtime/metrics/tables/arrow_ipc.ts";
import type { Table } from "../../runtime/metrics/tables/table.ts";
import { copies, inBlocks, joined } from "./blocks.ts";
import { FlatBuilder } from "../../runtime/metrics/tables/flat_builder.ts";
import { randomTables } from "./random_tables.ts";

type ArrowTable = import("apache-arrow").Table;
const plain = (v: unknown) => (typeof v === "bigint" ? Number(v) : v);

/** Everything a reader sees: each field's name, type and nullability, and every cell. */
function seen(t: ArrowTable) {
  return {
    rows: t.numRows,
    fields: t.schema.fields.map((f) => `${f.name}: ${f.type} ${f.nullable}`),
    cells: t.schema.fields.map((f) => {
      const c = t.getChild(f.name)!;
      return Array.from({ length: t.numRows }, (_, i) => plain(c.get(i)));
    }),
  };
}

const tables = randomTables(29, 40, {
  numbers: [0, -0, 1.5, 1 / 3, 1e300, -Infinity, NaN],
  ints: [0, 7, -3, 2 ** 31 - 1, NaN],
  strings: ["AAPL", 'a,"b"', "é", "😀", "", null],
  cells: [1, 2.5, NaN, true, "t,x", null, undefined],
});
tables.push(
  { length: 0, columns: [{ name: "x", kind: "float", style: "plain", values: [] }] },
  { length: 0, columns: [] },
);

describe("Arrow IPC", () => {
  test.each([false, true])(
    "apache-arrow reads back what arrowTable holds (wide ints: %s)",
    async (wide) => {
      const arrow = await import("apache-arrow");
      for (const t of tables) {
        const want = seen(await arrowTable(t, wide));
        expect(seen(arrow.tableFromIPC(arrowIpc(t, wide)))).toEqual(want);
        if (!wide) expect(seen(arrow.tableFromIPC(fileBytes(t)))).toEqual(want);
      }
    },
  );

  test("the file format has its magic, footer and a block that finds the batch", async () => {
    const arrow = await import("apache-arrow");
    const bytes = fileBytes(tables[3]);
    const text = new TextDecoder();
    expect(text.decode(bytes.subarray(0, 6))).toBe("ARROW1");
    expect(text.decode(bytes.subarray(bytes.length - 6))).toBe("ARROW1");
    // The file reader goes by the footer: a batch found through its block.
    const reader = arrow.RecordBatchReader.from(bytes);
    reader.open();
    expect(reader.isFile()).toBe(true);
    if (!reader.isFile() || !reader.isSync()) throw new Error("not a synchronous file reader");
    expect(reader.numRecordBatches).toBe(1);
    expect(reader.readRecordBatch(0)!.numRows).toBe(tables[3].length);
    // The block itself, as Arrow C++ (pyarrow) reads it: `offset` at the message's continuation
    // marker, `metaDataLength` over the marker, length and metadata up to the body,
    // `bodyLength` the message's body (File.fbs: Footer.recordBatches, struct Block).
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const footerLength = view.getInt32(bytes.length - 10, true);
    const footer = new flatbuffers.ByteBuffer(
      bytes.subarray(bytes.length - 10 - footerLength, bytes.length - 10),
    );
    const root = footer.readInt32(0);
    const blocks = footer.__vector(root + footer.__offset(root, 10)); // field 3: recordBatches
    const offset = Number(footer.readInt64(blocks)), metaLength = footer.readInt32(blocks + 8);
    expect(view.getInt32(offset, true)).toBe(-1);
    expect(metaLength).toBe(8 + view.getInt32(offset + 4, true));
    const message = arrow.Message.decode(bytes.subarray(offset + 8, offset + metaLength));
    expect(message.isRecordBatch()).toBe(true);
    expect(Number(footer.readInt64(blocks + 16))).toBe(Number(message.bodyLength));
  });

  test("the file in pieces: a batch per block, each found through its footer Block", async () => {
    const arrow = await import("apache-arrow");
    let split = 0;
    for (const t of tables) {
      for (const k of [1, 7, 1000]) {
        const bytes = fileBytes(inBlocks(t, k));
        const want = seen(await arrowTable(t, false));
        expect(seen(arrow.tableFromIPC(bytes)), `block size ${k}`).toEqual(want);
        // The footer's Blocks, as Arrow C++ (pyarrow) reads a file: every batch, in order.
        const view = new DataView(bytes.buffer);
        const footerLength = view.getInt32(bytes.length - 10, true);
        const footer = new flatbuffers.ByteBuffer(
          bytes.subarray(bytes.length - 10 - footerLength, bytes.length - 10),
        );
        const root = footer.readInt32(0);
        const blocks = footer.__vector(root + footer.__offset(root, 10));
        const count = footer.__vector_len(root + footer.__offset(root, 10));
        // A table with a recorded column goes whole (its type is decided over all its values).
        const whole = t.columns.some((c) => c.kind === "cells");
        expect(count).toBe(whole ? 1 : Math.max(1, Math.ceil(t.length / k)));
        if (count > 1) split++;
        let rows = 0;
        for (let b = 0; b < count; b++) {
          const at = blocks + 24 * b;
          const offset = Number(footer.readInt64(at)), metaLength = footer.readInt32(at + 8);
          expect(view.getInt32(offset, true)).toBe(-1);
          const message = arrow.Message.decode(bytes.subarray(offset + 8, offset + metaLength));
          expect(message.isRecordBatch()).toBe(true);
          expect(Number(footer.readInt64(at + 16))).toBe(Number(message.bodyLength));
          rows += Number((message.header() as unknown as { length: number | bigint }).length);
        }
        expect(rows).toBe(t.length);
      }
    }
    expect(split).toBeGreaterThan(10);
  });

  test("arrow-rs (parquet-wasm) reads the stream into Parquet", async () => {
    const pq = await import("parquet-wasm/bundler");
    const arrow = await import("apache-arrow");
    for (const t of tables.filter((t) => t.columns.length > 0)) {
      const props = new pq.WriterPropertiesBuilder().build();
      const parquet = pq.writeParquet(pq.Table.fromIPCStream(arrowIpc(t, true)), props);
      const back = arrow.tableFromIPC(pq.readParquet(parquet).intoIPCStream());
      expect(back.numRows).toBe(t.length);
      expect(back.schema.fields.map((f) => f.name)).toEqual(t.columns.map((c) => c.name));
    }
  });

  test("a table made a block at a time: the stream (a batch per block) holds the whole table", async () => {
    const pq = await import("parquet-wasm/bundler");
    const arrow = await import("apache-arrow");
    for (const t of tables.filter((t) => t.columns.length > 0)) {
      const want = seen(await arrowTable(t, true));
      const stream = arrowIpc(inBlocks(t, 7), true);
      expect(seen(arrow.tableFromIPC(stream))).toEqual(want);
      const parquet = pq.writeParquet(
        pq.Table.fromIPCStream(stream),
        new pq.WriterPropertiesBuilder().build(),
      );
      const back = arrow.tableFromIPC(pq.readParquet(parquet).intoIPCStream());
      expect(back.numRows).toBe(t.length);
    }
  });
});

describe("FlatBuilder", () => {
  test("writes the bytes the flatbuffers package writes", () => {
    // One object of each field kind, a string, vectors of offsets and of structs, nesting.
    const ours = new FlatBuilder(), theirs = new flatbuffers.Builder(16);
    const name = [ours.string("é name"), theirs.createString("é name")];
    ours.startObject(2);
    ours.fieldInt32(0, 64);
    ours.fieldInt8(1, 1);
    const inner = ours.endObject();
    theirs.startObject(2);
    theirs.addFieldInt32(0, 64, 0);
    theirs.addFieldInt8(1, 1, 0);
    const innerTheirs = theirs.endObject();
    const list = ours.refs([inner, name[0]]);
    theirs.startVector(4, 2, 4);
    theirs.addOffset(name[1]);
    theirs.addOffset(innerTheirs);
    const listTheirs = theirs.endVector();
    const structs = ours.int64Structs([1, 2, 2 ** 40, -5], 2);
    theirs.startVector(16, 2, 8);
    for (const v of [-5, 2 ** 40, 2, 1]) theirs.writeInt64(BigInt(v));
    const structsTheirs = theirs.endVector();
    ours.startObject(6);
    ours.fieldInt16(0, 4);
    ours.fieldInt8(1, 3);
    ours.fieldRef(2, list);
    ours.fieldInt64(3, 123456789012);
    ours.fieldRef(5, structs);
    const root = ours.endObject();
    theirs.startObject(6);
    theirs.addFieldInt16(0, 4, 0);
    theirs.addFieldInt8(1, 3, 0);
    theirs.addFieldOffset(2, listTheirs, 0);
    theirs.addFieldInt64(3, 123456789012n, 0n);
    theirs.addFieldOffset(5, structsTheirs, 0);
    theirs.finish(theirs.endObject());
    expect(ours.finish(root)).toEqual(theirs.asUint8Array());
  });
});

/** A table's whole Arrow file, as `-o x.arrow` writes it. */
const fileBytes = (t: Table) => joined(copies(arrowFilePieces(t)));
