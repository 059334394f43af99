/**
 * Input buffers the worker session lends its caller (ModelSession.inputBuffer), as shared memory.
 *
 * Before, a lent ArrayBuffer was transferred to the worker and back with every run. A transfer is
 * no copy, but each buffer that arrives is new external memory to the receiving thread's V8 heap,
 * released only when a garbage collection finds the detached one it replaced: with a 2.9 MB detector
 * input and a few MB of ReID crops every sampled frame, that accounting alone set off a full
 * mark-compact on the main thread every 3-4 frames (88 in a 300-frame street clip, 2.8 s of the
 * main thread; `node --trace-gc`; 2 without appearance). Now each slot is a SharedArrayBuffer
 * announced to the worker once; a run names the slot, the worker copies its floats into memory of
 * its own (onnxruntime-node refuses shared memory; a memcpy of a few MB, about a third of a
 * millisecond) and nothing crosses the threads per run but the message.
 */
export interface SlotPeer {
  /** Tell the worker about a new slot (sent before any run that names it). */
  announce(slot: number, buffer: SharedArrayBuffer): void;
  /** Tell the worker a slot is gone (only a free one is dropped). */
  forget(slot: number): void;
}

interface Slot {
  readonly id: number;
  readonly buffer: SharedArrayBuffer;
  busy: boolean;
}

export class SharedSlots {
  readonly #slots: Slot[] = [];
  readonly #byView = new WeakMap<Float32Array, Slot>();
  #nextId = 1;

  /** keep: slots held at most (the detector needs one, ReID a couple of batch sizes). */
  constructor(
    private readonly peer: SlotPeer,
    private readonly keep = 4,
  ) {}

  /** A view of `length` floats over a free slot at least that large, else a new one. Its contents are stale: the caller writes every value. */
  take(length: number): Float32Array {
    const bytes = length * Float32Array.BYTES_PER_ELEMENT;
    let slot = this.#slots.filter((s) => !s.busy && s.buffer.byteLength >= bytes).sort((a, b) => a.buffer.byteLength - b.buffer.byteLength)[0];
    if (slot) slot.busy = true;
    else {
      // Busy from the start, so trimming below can never drop the slot about to be lent.
      slot = { id: this.#nextId++, buffer: new SharedArrayBuffer(bytes), busy: true };
      this.peer.announce(slot.id, slot.buffer);
      this.#slots.push(slot);
      this.#trim();
    }
    const view = new Float32Array(slot.buffer, 0, length);
    this.#byView.set(view, slot);
    return view;
  }

  /** The slot a lent view is over, while it is lent (run() then sends the slot's id instead of the floats). */
  slotOf(view: Float32Array): number | undefined {
    const s = this.#byView.get(view);
    return s?.busy ? s.id : undefined;
  }

  /** The run on `slot` is over (its reply, or its failure): the slot may be lent again. */
  give(slot: number): void {
    const s = this.#slots.find((x) => x.id === slot);
    if (s) s.busy = false;
    this.#trim();
  }

  /** Bytes of shared memory held (for the tests). */
  get bytes(): number {
    return this.#slots.reduce((n, s) => n + s.buffer.byteLength, 0);
  }

  /** Over `keep`: drop the smallest free slots (a larger one serves their sizes too). */
  #trim(): void {
    while (this.#slots.length > this.keep) {
      const drop = this.#slots.filter((s) => !s.busy).sort((a, b) => a.buffer.byteLength - b.buffer.byteLength)[0];
      if (!drop) return;
      this.#slots.splice(this.#slots.indexOf(drop), 1);
      this.peer.forget(drop.id);
    }
  }
}
