import { COLOUR_MAPS } from '/static/colours.js';
import { decodeFrame } from '/static/frame.js';
import {
  layerSpacing, normaliseRotation, projectStack, sheetOutlines, strongBytes, thresholdLimit,
} from '/static/stack-view.js';
import { deepEq, eq, near, ok, test } from './assert.js';
import { encodeFrame } from './frames.js';

// two classes of two 2x2 sheets from -1 to 1: byte 0 is -1, 64 about -0.498, 128 about 0.004, 191 about 0.498,
// 255 is 1. Class 0: layer 0 [[0, 128], [255, 128]], layer 1 [[191, 255], [64, 0]]; class 1 all 128.
const frame = () => decodeFrame(encodeFrame({ dims: 3, classes: 2, layers: 2, rows: 2, cols: 2, min: -1, max: 1,
  cells: [0, 128, 255, 128, 191, 255, 64, 0, 128, 128, 128, 128, 128, 128, 128, 128] }));

// a 100x80 canvas at 10 pixels per cell and 3 cells between the sheets: the stack's centre at (50, 40)
const VIEW = { width: 100, height: 80, scale: 10, spacing: 3 };
const NO_TURN = { yaw: 0, pitch: 0 };
const cell = p => [p.layer, p.row, p.col];

test('cells whose |value| is not above the threshold are left out', () => {
  const { points } = projectStack(frame(), 0, 0.5, NO_TURN, VIEW);
  deepEq(points.map(cell).sort(), [[0, 0, 0], [0, 1, 0], [1, 0, 1], [1, 1, 1]], 'only the cells of -1 and 1');
  ok(points.every(p => Math.abs(p.value) > 0.5), 'every point above the threshold');
  eq(projectStack(frame(), 1, 0.5, NO_TURN, VIEW).points.length, 0, 'class 1 is all near 0');
});

test('the number of points follows the threshold', () => {
  const count = t => projectStack(frame(), 0, t, NO_TURN, VIEW).points.length;
  eq(count(0.5), 4);
  eq(count(0.4), 6, 'the cells of about ±0.498 join');
  eq(count(0), 8, 'every cell but exactly 0 (none here)');
  eq(count(1), 0, 'nothing is above the largest |value|');
  eq(Array.from(strongBytes(frame(), 0.5)).reduce((n, s) => n + s, 0), 128, 'bytes 0..63 and 192..255');
});

test('unturned, the sheets face the viewer: column to x, row to y, layer 1 in front', () => {
  const { points, scale, size } = projectStack(frame(), 0, 0.5, NO_TURN, VIEW);
  eq(scale, 10);
  near(size, 9, 1e-12);
  deepEq(points.map(p => [...cell(p), p.x, p.y]), [
    [1, 0, 1, 55, 35], [1, 1, 1, 55, 45], // layer 2, behind, drawn first
    [0, 0, 0, 45, 35], [0, 1, 0, 45, 45],
  ]);
  deepEq(points.map(p => p.depth), [1.5, 1.5, -1.5, -1.5], 'depth: ±half the spacing');
});

test('points come back to front, however the stack is turned', () => {
  for (const rotation of [NO_TURN, { yaw: 35, pitch: 20 }, { yaw: -120, pitch: -60 }, { yaw: 180, pitch: 0 }]) {
    const { points } = projectStack(frame(), 0, 0, rotation, VIEW);
    eq(points.length, 8);
    for (let i = 1; i < points.length; i++) {
      ok(points[i - 1].depth >= points[i].depth, `${JSON.stringify(rotation)}: point ${i} is behind the one before`);
    }
  }
  const half = projectStack(frame(), 0, 0, { yaw: 180, pitch: 0 }, VIEW).points;
  eq(half[0].layer, 0, 'turned round, layer 1 is at the back');
});

test('a quarter turn about the vertical axis carries depth onto x', () => {
  const { points } = projectStack(frame(), 0, 0, { yaw: 90, pitch: 0 }, VIEW);
  for (const p of points) {
    eq(p.x, p.layer === 0 ? 35 : 65, `x of ${cell(p)}: the layer's depth (±1.5 cells) at 10 pixels per cell`);
    eq(p.y, 40 + (p.row - 0.5) * 10, `y of ${cell(p)} is unchanged`);
    eq(p.depth, 0.5 - p.col, `depth of ${cell(p)}: column 1 now nearest`);
  }
});

test('a quarter turn about the horizontal axis carries depth onto y, the far layers up', () => {
  const { points } = projectStack(frame(), 0, 0, { yaw: 0, pitch: 90 }, VIEW);
  for (const p of points) eq(p.y, p.layer === 0 ? 55 : 25, `y of ${cell(p)}`);
});

test('points carry their value and the colour-map entry the tiles would use', () => {
  const { points } = projectStack(frame(), 0, 0.5, NO_TURN, { ...VIEW, colours: COLOUR_MAPS.diverging });
  const byCell = Object.fromEntries(points.map(p => [cell(p).join(), p]));
  eq(byCell['0,0,0'].value, -1);
  eq(byCell['0,0,0'].index, 0, '-1: the blue end');
  eq(byCell['0,1,0'].index, 255, '1: the red end');
  eq(projectStack(frame(), 0, 0.5, NO_TURN, VIEW).points[0].index, 255, 'viridis unless told: the frame\'s max');
});

test('the fit keeps a stack of 28x28 sheets on the canvas however it is turned', () => {
  const f = decodeFrame(encodeFrame({ dims: 3, classes: 1, layers: 4, rows: 28, cols: 28 }));
  const view = { width: 300, height: 200 };
  for (const rotation of [NO_TURN, { yaw: 45, pitch: 45 }, { yaw: 90, pitch: 10 }, { yaw: -150, pitch: -80 }]) {
    for (const { corners } of sheetOutlines(f, rotation, view)) {
      for (const [x, y] of corners) ok(x >= 0 && x <= 300 && y >= 0 && y <= 200, `corner (${x}, ${y}) on the canvas`);
    }
  }
  eq(sheetOutlines(f, NO_TURN, view).length, 4, 'one outline per sheet');
});

test('spacing, threshold range and rotation limits', () => {
  const sheets = layers => decodeFrame(encodeFrame({ dims: 3, classes: 1, layers, rows: 28, cols: 28 }));
  eq(layerSpacing(sheets(4)), 8, 'a few sheets: at most 8 cells apart');
  eq(layerSpacing(sheets(8)), 4, 'the stack about as deep as a sheet is wide');
  eq(layerSpacing(sheets(64)), 1, 'many sheets: never closer than a cell');
  eq(thresholdLimit(decodeFrame(encodeFrame({ min: -0.5, max: 2 }))), 2);
  eq(thresholdLimit(decodeFrame(encodeFrame({ min: -3, max: 2 }))), 3);
  deepEq(normaliseRotation({ yaw: 190, pitch: 120 }), { yaw: -170, pitch: 90 });
  deepEq(normaliseRotation({ yaw: -190, pitch: -95 }), { yaw: 170, pitch: -90 });
});
