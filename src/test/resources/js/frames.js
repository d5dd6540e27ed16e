// Heatmap frames for the tests, encoded as org.neuralgrid.io.HeatmapFrame writes them.

/** The kind codes of a version 3 header (byte 48), as org.neuralgrid.engine.MapKind orders them. */
export const KIND_CODES = Object.freeze({ mean: 0, std: 1, contrast: 2, weights: 3, biases: 4 });

/**
 * A frame's bytes: version 2 (48-byte header) unless version is 1 (32 bytes, no grid and block sizes) or 3 (52
 * bytes: the version 2 header, then the kind's code and 3 zero bytes; kind 'mean' unless given, kindCode to write a
 * code of no kind). cells defaults to 0, 1, 2, ... (mod 256), class-major, then layer, row, column.
 */
export function encodeFrame({
  version = 2, dims = 2, classes = 2, epoch = 3, layers = 1, rows = 2, cols = 3, min = -1, max = 1,
  gridRows = rows, gridCols = cols, blockRows = 1, blockCols = 1, cells = null, extra = 0, kind = 'mean',
  kindCode = KIND_CODES[kind],
} = {}) {
  const header = version === 1 ? 32 : version === 2 ? 48 : 52;
  const n = classes * layers * rows * cols;
  const buf = new ArrayBuffer(header + n + extra);
  const v = new DataView(buf);
  v.setUint32(0, 0x4d48474e, true);
  v.setUint8(4, version);
  v.setUint8(5, dims);
  v.setUint16(6, classes, true);
  v.setUint32(8, epoch, true);
  v.setUint32(12, layers, true);
  v.setUint32(16, rows, true);
  v.setUint32(20, cols, true);
  v.setFloat32(24, min, true);
  v.setFloat32(28, max, true);
  if (version !== 1) {
    v.setUint32(32, gridRows, true);
    v.setUint32(36, gridCols, true);
    v.setUint32(40, blockRows, true);
    v.setUint32(44, blockCols, true);
  }
  if (version >= 3) v.setUint8(48, kindCode);
  const bytes = new Uint8Array(buf, header, n);
  for (let i = 0; i < n; i++) bytes[i] = cells ? cells[i] : i % 256;
  return buf;
}
