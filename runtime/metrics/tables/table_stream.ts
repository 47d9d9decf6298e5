/**
 * A run's side tables written while it goes on, on a thread of their own: the thread keeps a
 * copy of the recorder (`recorder_delta.ts`), and each table's rows are encoded and written a
 * block at a time as soon as a whole block is recorded. What is left, and the file's name, come
 * at the end. The same fillers and encoder as `writeTables` over the finished run: the same
 * bytes.
 *
 * Why: the simulation is one thread. Writing a 100 × 2,520 run's 318,000 side-table rows took
 * 140–230 ms after it in a cold `harvester backtest -o x.csv`; here it overlaps the simulation
 * on another core.
 *
 * @module
 */
import { OutputFile } from "../../fs.ts";
import type { RecorderData } from "../recorder.ts";
import { IpcStream } from "./arrow_ipc.ts";
import { type BlockArrays, blockColumns, type Filler } from "./blocked.ts";
import { ByteWriter } from "./bytes.ts";
import { CsvStream } from "./csv.ts";
import { JsonStream } from "./json.ts";
import type { SideTable } from "./recorder_tables.ts";
import { BLOCK_ROWS, type Column, type Table } from "./table.ts";
import type { ParquetProperties, ParquetWriter } from "./write.ts";

/** The formats a side table is written in while the run goes on. */
export type StreamFormat = ".csv" | ".json" | ".arrow" | ".parquet";

/**
 * A side table's blocks of rows into its file's bytes, as `writeTables` makes them: `add` for
 * each block (at least one, if empty, as `blocksOf` gives), then `end`.
 */
interface BlockEncoder {
  add(block: Table): void;
  end(): void;
}

/**
 * The encoder of `format` writing into `file`: CSV, JSON and Arrow a piece at a time as the
 * blocks come;
 * Parquet's Arrow IPC stream likewise into memory, made into the file at the end (parquet-wasm
 * writes a whole table) with the properties counted on the first block, as `writeTables` counts
 * them.
 */
function encoderFor(format: StreamFormat, file: OutputFile, pq?: ParquetWriter): BlockEncoder {
  const sink = (piece: Uint8Array) => file.write(piece);
  if (format === ".csv") return new CsvStream(sink);
  if (format === ".json") return new JsonStream(sink);
  if (format === ".arrow") return new IpcStream(sink, true, false);
  const ipc = new ByteWriter(1 << 20);
  const stream = new IpcStream((piece) => ipc.bytes(piece), false, true);
  let properties: ParquetProperties | null = null;
  return {
    add(block) {
      properties ??= pq!.properties(block);
      stream.add(block);
    },
    end() {
      stream.end();
      file.write(pq!.write(ipc.view(), properties!));
    },
  };
}

/** One side table's file, written a block of rows at a time as the rows come. */
export class SideTableWriter {
  readonly #values: BlockArrays;
  readonly #columns: Column[];
  readonly #encoder: BlockEncoder;
  readonly #file: OutputFile;
  #fill: Filler | null = null;
  #done = 0;
  #blocks = 0;

  /**
   * `blockRows`: rows encoded at a time (the bytes are the same for any, but for Parquet's
   * dictionary choice, counted on the first block, and Arrow's record batches, one per block);
   * `pq`: the Parquet writer, for `.parquet`.
   */
  constructor(
    readonly path: string,
    private readonly table: SideTable,
    private readonly d: RecorderData,
    format: StreamFormat = ".csv",
    private readonly blockRows = BLOCK_ROWS,
    pq?: ParquetWriter,
  ) {
    ({ values: this.#values, columns: this.#columns } = blockColumns(table.specs, blockRows));
    this.#file = new OutputFile(path, true);
    this.#encoder = encoderFor(format, this.#file, pq);
  }

  /** Writes the rows recorded so far in whole blocks (`last`: all of them). */
  advance(last = false): void {
    const total = this.table.rows(this.d);
    const size = this.blockRows;
    while (total - this.#done >= size || (last && this.#done < total)) {
      const from = this.#done, to = Math.min(total, from + size);
      (this.#fill ??= this.table.open(this.d))(this.#values, from, to);
      this.#encoder.add({ length: to - from, columns: this.#columns });
      this.#done = to;
      this.#blocks++;
    }
  }

  /** Writes the rest and gives the file its name. */
  finish(): Promise<void> {
    this.advance(true);
    // A table with no rows is one empty block, as `blocksOf` gives it (its header, its schema).
    if (this.#blocks === 0) this.#encoder.add({ length: 0, columns: this.#columns });
    this.#encoder.end();
    return this.#file.commit();
  }

  /** Stops, removing what was written (an earlier file of the name stays). */
  abort(): void {
    this.#file.abort();
  }
}
