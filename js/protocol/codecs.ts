// Binary trait values arrive as DataViews (sometimes ArrayBuffers or typed arrays). Views are made
// without copying when the offset is aligned; an unaligned offset forces one copy.

type Binary = DataView | ArrayBuffer | ArrayBufferView;

function parts(value: Binary): { buffer: ArrayBufferLike; offset: number; length: number } {
  if (value instanceof ArrayBuffer) return { buffer: value, offset: 0, length: value.byteLength };
  return { buffer: value.buffer, offset: value.byteOffset, length: value.byteLength };
}

function typed<T>(
  value: Binary | null | undefined,
  bytesPer: number,
  make: (buffer: ArrayBufferLike, offset: number, length: number) => T,
): T {
  if (value == null) return make(new ArrayBuffer(0), 0, 0);
  const { buffer, offset, length } = parts(value);
  const count = Math.floor(length / bytesPer);
  if (offset % bytesPer === 0) return make(buffer, offset, count);
  const copy = new Uint8Array(count * bytesPer);
  copy.set(new Uint8Array(buffer, offset, count * bytesPer));
  return make(copy.buffer, 0, count);
}

export function toFloat32(value: Binary | null | undefined): Float32Array {
  return typed(value, 4, (b, o, n) => new Float32Array(b, o, n));
}

export function toUint32(value: Binary | null | undefined): Uint32Array {
  return typed(value, 4, (b, o, n) => new Uint32Array(b, o, n));
}

export function toInt32(value: Binary | null | undefined): Int32Array {
  return typed(value, 4, (b, o, n) => new Int32Array(b, o, n));
}

export function toUint16(value: Binary | null | undefined): Uint16Array {
  return typed(value, 2, (b, o, n) => new Uint16Array(b, o, n));
}

export function toUint8(value: Binary | null | undefined): Uint8Array {
  return typed(value, 1, (b, o, n) => new Uint8Array(b, o, n));
}

export function fromUint32(indices: ArrayLike<number>): DataView {
  const array = Uint32Array.from(indices);
  return new DataView(array.buffer);
}
