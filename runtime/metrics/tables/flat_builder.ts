/**
 * A FlatBuffers builder for the few small messages an Arrow IPC file holds (its schema, a record
 * batch's header, the footer). The `flatbuffers` package does this too, but loading it through
 * Deno's npm layer costs 20–27 ms of a process; what the Arrow writer needs is this much.
 *
 * As the format has it (flatbuffers.dev, "Internals"), the buffer is built from its end towards
 * its start: an object's fields are written before the object, and an offset points forward to
 * something already written. Every scalar field given is written, default or not.
 *
 * @module
 */

export class FlatBuilder {
  #buf = new Uint8Array(1024);
  #view = new DataView(this.#buf.buffer);
  /** Where the written bytes start: they are `#buf[#space…]`. */
  #space = this.#buf.length;
  #minAlign = 1;
  /** Where each field of the object being built was written (0: not given). */
  #fields: number[] = [];
  #objectEnd = 0;
  #vectorLength = 0;

  /** How many bytes are written: the position of what was last written, from the end. */
  offset(): number {
    return this.#buf.length - this.#space;
  }

  /** Room and padding so that, after `extra` more bytes, a `size`-byte value is aligned. */
  #prep(size: number, extra: number): void {
    if (size > this.#minAlign) this.#minAlign = size;
    const pad = (-(this.offset() + extra)) & (size - 1);
    while (this.#space < pad + size + extra) this.#grow();
    for (let i = 0; i < pad; i++) this.#buf[--this.#space] = 0;
  }

  #grow(): void {
    const old = this.#buf, next = new Uint8Array(old.length * 2);
    next.set(old, old.length);
    this.#space += old.length;
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  int8(v: number): void {
    this.#prep(1, 0);
    this.#view.setInt8(--this.#space, v);
  }

  int16(v: number): void {
    this.#prep(2, 0);
    this.#view.setInt16(this.#space -= 2, v, true);
  }

  int32(v: number): void {
    this.#prep(4, 0);
    this.#view.setInt32(this.#space -= 4, v, true);
  }

  /** A 64-bit integer from a safe whole number. */
  int64(v: number): void {
    this.#prep(8, 0);
    this.#view.setBigInt64(this.#space -= 8, BigInt(v), true);
  }

  /** An offset to something already written (`at`, as `offset()` gave it). */
  ref(at: number): void {
    this.#prep(4, 0);
    const relative = this.offset() - at + 4; // from where it is written, 4 bytes on
    this.#view.setInt32(this.#space -= 4, relative, true);
  }

  /** Starts an object of `count` fields; give them with the `field…` calls, then `endObject`. */
  startObject(count: number): void {
    this.#fields = new Array(count).fill(0);
    this.#objectEnd = this.offset();
  }

  fieldInt8(slot: number, v: number): void {
    this.int8(v);
    this.#fields[slot] = this.offset();
  }

  fieldInt16(slot: number, v: number): void {
    this.int16(v);
    this.#fields[slot] = this.offset();
  }

  fieldInt32(slot: number, v: number): void {
    this.int32(v);
    this.#fields[slot] = this.offset();
  }

  fieldInt64(slot: number, v: number): void {
    this.int64(v);
    this.#fields[slot] = this.offset();
  }

  fieldRef(slot: number, at: number): void {
    this.ref(at);
    this.#fields[slot] = this.offset();
  }

  /** Ends the object: its vtable (field positions), written just before it. Returns the object. */
  endObject(): number {
    this.int32(0); // the object's offset to its vtable, set below
    const object = this.offset(), fields = this.#fields;
    let last = fields.length - 1;
    while (last >= 0 && fields[last] === 0) last--;
    for (let i = last; i >= 0; i--) this.int16(fields[i] ? object - fields[i] : 0);
    this.int16(object - this.#objectEnd); // the object's size
    this.int16((last + 3) * 2); // the vtable's size
    const vtable = this.offset();
    this.#view.setInt32(this.#buf.length - object, vtable - object, true);
    return object;
  }

  /** A UTF-8 string, zero-terminated. */
  string(s: string): number {
    const bytes = new TextEncoder().encode(s);
    this.int8(0);
    this.startVector(1, bytes.length, 1);
    this.#buf.set(bytes, this.#space -= bytes.length);
    return this.endVector();
  }

  /** Starts a vector of `count` elements of `size` bytes; write them last first. */
  startVector(size: number, count: number, align: number): void {
    this.#vectorLength = count;
    this.#prep(4, size * count);
    this.#prep(align, size * count);
  }

  endVector(): number {
    this.#prep(4, 0);
    this.#view.setInt32(this.#space -= 4, this.#vectorLength, true);
    return this.offset();
  }

  /** A vector of offsets to objects already written. */
  refs(ats: readonly number[]): number {
    this.startVector(4, ats.length, 4);
    for (let i = ats.length - 1; i >= 0; i--) this.ref(ats[i]);
    return this.endVector();
  }

  /**
   * A vector of structs of 64-bit integers (`width` each: Arrow's FieldNode and Buffer are two);
   * `values` holds them one after another.
   */
  int64Structs(values: readonly number[], width: number): number {
    this.startVector(8 * width, values.length / width, 8);
    for (let i = values.length - 1; i >= 0; i--) this.int64(values[i]);
    return this.endVector();
  }

  /** Ends the buffer with `root` as its root object; returns its bytes. */
  finish(root: number): Uint8Array {
    this.#prep(this.#minAlign, 4);
    this.ref(root);
    return this.#buf.subarray(this.#space);
  }
}
