// Heatmap frames for the tests, encoded as org.neuralgrid.io.HeatmapFrame writes them.

/**
 * A frame's bytes: version 2 (48-byte header) unless version is 1 (32 bytes, no grid and block sizes). cells
 * defaults to 0, 1, 2, ... (mod 256), class-major, then layer, row, column.
 */
export function encodeFrame({
  version = 2, dims = 2, classes = 2, epoch = 3, layers = 1, rows = 2, cols = 3, min = -1, max = 1,
  gridRows = rows, gridCols = cols, blockRows = 1, blockCols = 1, cells = null, extra = 0,
} = {}) {
  const header = version === 1 ? 32 : 48;
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
  const bytes = new Uint8Array(buf, header, n);
  for (let i = 0; i < n; i++) bytes[i] = cells ? cells[i] : i % 256;
  return buf;
}
