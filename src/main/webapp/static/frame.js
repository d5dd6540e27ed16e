// Heatmap frames (see org.neuralgrid.io.HeatmapFrame): the binary decoder and what a frame's cells stand for.
// Pure: no DOM, no network.

const MAGIC = 0x4d48474e; // "NGHM" read as a little-endian u32
const HEADER_V1 = 32;
const HEADER_V2 = 48;
const HEADER_V3 = 52;
const HEADER_BYTES = { 1: HEADER_V1, 2: HEADER_V2, 3: HEADER_V3 };

/**
 * What a frame shows, by the kind code at byte 48 of a version 3 header (org.neuralgrid.engine.MapKind's order):
 * per class the mean, the standard deviation or the contrast (mean minus the mean over the classes), or one map of
 * the grid's weights or biases. Frames of versions 1 and 2 are means.
 */
export const FRAME_KINDS = Object.freeze(['mean', 'std', 'contrast', 'weights', 'biases']);

/**
 * Decodes a heatmap frame: a little-endian header (48 bytes; 32 in version 1, whose cells are never averaged; 52 in
 * version 3, whose byte 48 names the kind and bytes 49-51 are zero), then one byte per cell, class-major, then
 * layer, row, column. A frame cell stands for a blockRows x blockCols block of the grid's gridRows x gridCols map.
 * kind is one of FRAME_KINDS ('mean' before version 3); classes is 1 for the weights and biases. Throws on a
 * malformed frame.
 */
export function decodeFrame(buffer) {
  const buf = buffer instanceof ArrayBuffer ? buffer : buffer.buffer.slice(buffer.byteOffset,
    buffer.byteOffset + buffer.byteLength);
  if (buf.byteLength < HEADER_V1) throw new Error(`heatmap frame of ${buf.byteLength} bytes is too short`);
  const v = new DataView(buf);
  if (v.getUint32(0, true) !== MAGIC) throw new Error('not a heatmap frame (bad magic)');
  const version = v.getUint8(4);
  const header = HEADER_BYTES[version];
  if (!header) throw new Error(`unsupported heatmap frame version ${version}`);
  if (buf.byteLength < header) throw new Error(`heatmap frame of ${buf.byteLength} bytes is too short`);
  const kind = version < 3 ? 'mean' : FRAME_KINDS[v.getUint8(48)];
  if (!kind) throw new Error(`unknown heatmap frame kind ${v.getUint8(48)}`);
  const frame = {
    version,
    kind,
    dims: v.getUint8(5),
    classes: v.getUint16(6, true),
    epoch: v.getUint32(8, true),
    layers: v.getUint32(12, true),
    rows: v.getUint32(16, true),
    cols: v.getUint32(20, true),
    min: v.getFloat32(24, true),
    max: v.getFloat32(28, true),
  };
  frame.gridRows = version === 1 ? frame.rows : v.getUint32(32, true);
  frame.gridCols = version === 1 ? frame.cols : v.getUint32(36, true);
  frame.blockRows = version === 1 ? 1 : v.getUint32(40, true);
  frame.blockCols = version === 1 ? 1 : v.getUint32(44, true);
  const n = frame.classes * frame.layers * frame.rows * frame.cols;
  if (n !== buf.byteLength - header) {
    throw new Error(`heatmap frame says ${n} cells but holds ${buf.byteLength - header}`);
  }
  frame.cells = new Uint8Array(buf, header, n);
  return frame;
}

/** "first" or "first–last" of the grid indices (plus base) that frame index i of a side stands for. */
export function blockSpan(i, block, gridSize, base = 0) {
  const first = i * block;
  const last = Math.min(gridSize, first + block) - 1;
  return last > first ? `${first + base}–${last + base}` : `${first + base}`;
}

/**
 * Whether a frame holds a 3D grid's sheets (layers x rows x cols per class) rather than a 2D grid's one map per
 * class. A frame of one sheet says dims 2, like a 2D map, so the run's grid type decides where it is known.
 */
export function isSheetFrame(frame, gridType) {
  if (gridType === '3d') return true;
  if (gridType === '2d') return false;
  return frame.dims === 3 || frame.layers > 1;
}

/** The value a quantised cell stands for. */
export function cellValue(frame, byte) {
  return frame.min + (byte / 255) * (frame.max - frame.min);
}

/** The byte of one cell: class cls, layer, row, col (layer 0 for a 2D map). */
export function cellByte(frame, cls, layer, row, col) {
  return frame.cells[((cls * frame.layers + layer) * frame.rows + row) * frame.cols + col];
}
