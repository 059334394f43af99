/**
 * Writes a tiny, real ONNX model for tests: its one output is a constant tensor (an Identity of an
 * initializer), whatever the input. It lets the real onnxruntime stand in for detector exports we
 * have no file for, such as YOLO models with NMS built in ([1, N, 6]).
 *
 * Hand-rolled protobuf (ONNX's onnx.proto field numbers), just the fields this needs.
 */

/** Protobuf wire encoding, minimal. */
class Pb {
  readonly bytes: number[] = [];
  varint(v: number): this {
    let x = BigInt(v);
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x > 0n) b |= 0x80;
      this.bytes.push(b);
    } while (x > 0n);
    return this;
  }
  int(field: number, v: number): this {
    return this.varint((field << 3) | 0).varint(v);
  }
  bytesField(field: number, b: ArrayLike<number>): this {
    this.varint((field << 3) | 2).varint(b.length);
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!);
    return this;
  }
  str(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: Pb): this {
    return this.bytesField(field, m.bytes);
  }
}

const FLOAT = 1;

function valueInfo(name: string, dims: readonly number[]): Pb {
  const shape = new Pb();
  for (const d of dims) shape.msg(1, new Pb().int(1, d)); // TensorShapeProto.dim { dim_value }
  const tensorType = new Pb().int(1, FLOAT).msg(2, shape); // TypeProto.Tensor { elem_type, shape }
  return new Pb().str(1, name).msg(2, new Pb().msg(1, tensorType)); // ValueInfoProto { name, type { tensor_type } }
}

/** ONNX model bytes: input `inputName` of `inputDims` (unused), output `outputName` = `value` with `outputDims`. */
export function constantOutputModel(opts: {
  inputName: string;
  inputDims: readonly number[];
  outputName: string;
  outputDims: readonly number[];
  value: readonly number[];
}): Uint8Array {
  const raw = new Uint8Array(Float32Array.from(opts.value).buffer);
  const tensor = new Pb();
  for (const d of opts.outputDims) tensor.int(1, d); // dims
  tensor.int(2, FLOAT).str(8, 'constant').bytesField(9, raw); // data_type, name, raw_data
  const node = new Pb().str(1, 'constant').str(2, opts.outputName).str(4, 'Identity');
  const graph = new Pb()
    .msg(1, node)
    .str(2, 'tiny')
    .msg(5, tensor)
    .msg(11, valueInfo(opts.inputName, opts.inputDims))
    .msg(12, valueInfo(opts.outputName, opts.outputDims));
  const opset = new Pb().str(1, '').int(2, 17);
  const model = new Pb().int(1, 8).str(2, 'floorsense-tests').msg(7, graph).msg(8, opset); // ir_version 8, producer, graph, opset
  return Uint8Array.from(model.bytes);
}
