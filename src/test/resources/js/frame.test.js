import { FRAME_KINDS, blockSpan, cellByte, cellValue, decodeFrame, isSheetFrame } from '/static/frame.js';
import { deepEq, eq, near, test, throws } from './assert.js';
import { KIND_CODES, encodeFrame } from './frames.js';

test('a version 2 frame: header fields, grid and block sizes, cells', () => {
  const f = decodeFrame(encodeFrame({ classes: 10, epoch: 7, rows: 4, cols: 3, min: -0.5, max: 2,
    gridRows: 12, gridCols: 3, blockRows: 3, blockCols: 1 }));
  eq(f.version, 2);
  eq(f.dims, 2);
  eq(f.classes, 10);
  eq(f.epoch, 7);
  eq(f.layers, 1);
  eq(f.rows, 4);
  eq(f.cols, 3);
  eq(f.min, -0.5);
  eq(f.max, 2);
  deepEq([f.gridRows, f.gridCols, f.blockRows, f.blockCols], [12, 3, 3, 1]);
  eq(f.cells.length, 10 * 4 * 3);
  eq(f.cells[5], 5);
});

test('a version 3 frame of each kind: the kind after the version 2 header, the cells after 52 bytes', () => {
  deepEq(FRAME_KINDS, Object.keys(KIND_CODES), 'the decoder knows the kinds in MapKind\'s order');
  for (const kind of FRAME_KINDS) {
    const classes = kind === 'weights' || kind === 'biases' ? 1 : 10;
    const f = decodeFrame(encodeFrame({ version: 3, kind, classes, epoch: 4, rows: 5, cols: 3, min: -2, max: 0.5,
      gridRows: 10, gridCols: 3, blockRows: 2, blockCols: 1 }));
    eq(f.version, 3, kind);
    eq(f.kind, kind);
    eq(f.classes, classes, kind);
    eq(f.epoch, 4, kind);
    deepEq([f.rows, f.cols, f.min, f.max], [5, 3, -2, 0.5], kind);
    deepEq([f.gridRows, f.gridCols, f.blockRows, f.blockCols], [10, 3, 2, 1], kind);
    eq(f.cells.length, classes * 5 * 3, kind);
    eq(f.cells[0], 0, `${kind}: the first cell follows the 52-byte header`);
    eq(f.cells[7], 7, kind);
  }
});

test('a version 3 frame of a 3D grid\'s weights: one map of every sheet', () => {
  const f = decodeFrame(encodeFrame({ version: 3, kind: 'weights', dims: 3, classes: 1, layers: 4, rows: 2,
    cols: 2 }));
  eq(f.kind, 'weights');
  eq(f.classes, 1);
  eq(cellByte(f, 0, 3, 1, 1), 15);
  eq(isSheetFrame(f, null), true);
});

test('frames of versions 1 and 2 are means', () => {
  eq(decodeFrame(encodeFrame({ version: 2 })).kind, 'mean');
  eq(decodeFrame(encodeFrame({ version: 1 })).kind, 'mean');
});

test('a version 1 frame has a 32-byte header and no averaged blocks', () => {
  const f = decodeFrame(encodeFrame({ version: 1, rows: 5, cols: 2 }));
  eq(f.version, 1);
  deepEq([f.gridRows, f.gridCols, f.blockRows, f.blockCols], [5, 2, 1, 1]);
  eq(f.cells.length, 2 * 5 * 2);
});

test('a typed array view over a larger buffer decodes like its own buffer', () => {
  const bytes = new Uint8Array(encodeFrame({ epoch: 9 }));
  const padded = new Uint8Array(bytes.length + 16);
  padded.set(bytes, 8);
  const f = decodeFrame(padded.subarray(8, 8 + bytes.length));
  eq(f.epoch, 9);
  eq(f.cells[0], 0);
});

test('malformed frames are refused with a reason', () => {
  throws(() => decodeFrame(new ArrayBuffer(10)), /too short/);
  const bad = encodeFrame();
  new DataView(bad).setUint32(0, 0x12345678, true);
  throws(() => decodeFrame(bad), /bad magic/);
  const v4 = encodeFrame({ version: 3 });
  new DataView(v4).setUint8(4, 4);
  throws(() => decodeFrame(v4), /version 4/);
  throws(() => decodeFrame(encodeFrame({ version: 3, kindCode: 5 })), /unknown heatmap frame kind 5/);
  throws(() => decodeFrame(encodeFrame({ version: 3 }).slice(0, 50)), /50 bytes is too short/);
  throws(() => decodeFrame(encodeFrame({ version: 3, extra: 2 })), /says 12 cells but holds 14/);
  throws(() => decodeFrame(encodeFrame({ extra: 1 })), /says 12 cells but holds 13/);
  throws(() => decodeFrame(encodeFrame({ version: 1 }).slice(0, 40)), /says 12 cells but holds 8/);
});

test('blockSpan names the grid cells a frame cell stands for', () => {
  eq(blockSpan(0, 1, 10), '0');
  eq(blockSpan(2, 3, 10), '6–8');
  eq(blockSpan(3, 3, 10), '9', 'the last block holds one cell');
  eq(blockSpan(0, 2, 5, 1), '1–2', 'numbered from base');
});

test('isSheetFrame: the run\'s grid type decides, else the frame\'s shape', () => {
  const flat = decodeFrame(encodeFrame({ dims: 2, layers: 1 }));
  const sheets = decodeFrame(encodeFrame({ dims: 3, layers: 2 }));
  eq(isSheetFrame(flat, '3d'), true, 'a 3D run of one sheet');
  eq(isSheetFrame(sheets, '2d'), false);
  eq(isSheetFrame(flat, null), false);
  eq(isSheetFrame(sheets, null), true);
  eq(isSheetFrame(decodeFrame(encodeFrame({ dims: 2, layers: 3 })), undefined), true);
});

test('cellValue maps bytes 0..255 onto min..max', () => {
  const f = decodeFrame(encodeFrame({ min: -1, max: 3 }));
  eq(cellValue(f, 0), -1);
  eq(cellValue(f, 255), 3);
  near(cellValue(f, 51), -1 + 0.8);
});

test('cellByte reads class, layer, row and column', () => {
  const f = decodeFrame(encodeFrame({ classes: 2, layers: 3, rows: 2, cols: 4 }));
  eq(cellByte(f, 0, 0, 0, 0), 0);
  eq(cellByte(f, 0, 1, 0, 0), 8);
  eq(cellByte(f, 0, 2, 1, 3), 23);
  eq(cellByte(f, 1, 0, 0, 1), 25);
});
