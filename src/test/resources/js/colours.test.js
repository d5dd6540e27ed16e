import {
  COLOUR_MAPS, DIVERGING, DIVERGING_CENTRE, VIRIDIS, buildLut, byteToIndex, colourMap, defaultColourMap, fmtValue,
  indexMapFor, putColour, shownRange, symmetricByteToIndex, symmetricLimit,
} from '/static/colours.js';
import { decodeFrame } from '/static/frame.js';
import { deepEq, eq, ok, test } from './assert.js';
import { encodeFrame } from './frames.js';

test('viridis runs from dark purple to yellow over 256 entries', () => {
  eq(VIRIDIS.length, 256 * 3);
  deepEq(Array.from(VIRIDIS.slice(0, 3)), [68, 1, 84]);
  deepEq(Array.from(VIRIDIS.slice(255 * 3)), [253, 231, 37]);
  // brighter towards the top: the green channel rises all the way
  for (let i = 1; i < 256; i++) ok(VIRIDIS[i * 3 + 1] >= VIRIDIS[(i - 1) * 3 + 1], `green falls at ${i}`);
});

test('buildLut interpolates linearly between its stops', () => {
  const lut = buildLut([[0, 0, 0], [255, 0, 255]]);
  deepEq(Array.from(lut.slice(0, 3)), [0, 0, 0]);
  deepEq(Array.from(lut.slice(128 * 3, 128 * 3 + 3)), [128, 0, 128]);
  deepEq(Array.from(lut.slice(255 * 3)), [255, 0, 255]);
});

test('byteToIndex is the identity on the frame\'s own scale', () => {
  const f = decodeFrame(encodeFrame({ min: -1, max: 1 }));
  const map = byteToIndex(f);
  for (let b = 0; b < 256; b++) eq(map[b], b);
  deepEq(Array.from(byteToIndex(f, { min: -1, max: 1 }).slice(0, 4)), [0, 1, 2, 3]);
});

test('byteToIndex places a frame on a wider shared scale', () => {
  const f = decodeFrame(encodeFrame({ min: 0, max: 1 }));
  const map = byteToIndex(f, { min: -1, max: 1 });
  eq(map[0], 128, 'the frame\'s min is the middle of the shared scale');
  eq(map[255], 255);
  const flat = byteToIndex(f, { min: 2, max: 2 });
  eq(flat[200], 0, 'an empty shared scale maps everything to its start');
});

test('putColour writes an opaque RGBA pixel', () => {
  const px = new Uint8ClampedArray(8);
  putColour(px, 4, 255);
  deepEq(Array.from(px), [0, 0, 0, 0, 253, 231, 37, 255]);
});

test('fmtValue: about four figures, exponents at the ends', () => {
  eq(fmtValue(0), '0');
  eq(fmtValue(0.5), '0.5000');
  eq(fmtValue(-1.23456), '-1.235');
  eq(fmtValue(123.456), '123.5');
  eq(fmtValue(12345), '1.23e+4');
  eq(fmtValue(0.0001234), '1.23e-4');
  eq(fmtValue(NaN), 'NaN');
  eq(fmtValue(Infinity), 'Infinity');
});

const rgb = (lut, i) => Array.from(lut.slice(i * 3, i * 3 + 3));

test('the diverging map runs from dark blue through white to dark red', () => {
  eq(DIVERGING.length, 256 * 3);
  deepEq(rgb(DIVERGING, 0), [5, 48, 97], 'the negative end is RdBu\'s darkest blue');
  deepEq(rgb(DIVERGING, 255), [103, 0, 31], 'the positive end is RdBu\'s darkest red');
  eq(DIVERGING_CENTRE, 128);
  deepEq(rgb(DIVERGING, DIVERGING_CENTRE), [255, 255, 255], 'the centre is white');
  for (let i = 0; i < DIVERGING_CENTRE; i++) {
    const [r, , b] = rgb(DIVERGING, i);
    ok(b > r, `entry ${i} (negative side) is bluish: ${rgb(DIVERGING, i)}`);
  }
  for (let i = DIVERGING_CENTRE + 1; i < 256; i++) {
    const [r, , b] = rgb(DIVERGING, i);
    ok(r > b, `entry ${i} (positive side) is reddish: ${rgb(DIVERGING, i)}`);
  }
});

test('the diverging map is monotone: every channel brightens towards white and darkens away from it', () => {
  for (let i = 1; i <= DIVERGING_CENTRE; i++) {
    for (let c = 0; c < 3; c++) ok(DIVERGING[i * 3 + c] >= DIVERGING[(i - 1) * 3 + c], `channel ${c} falls at ${i}`);
  }
  for (let i = DIVERGING_CENTRE + 1; i < 256; i++) {
    for (let c = 0; c < 3; c++) ok(DIVERGING[i * 3 + c] <= DIVERGING[(i - 1) * 3 + c], `channel ${c} rises at ${i}`);
  }
  // the two sides are about equally dark at equal distances from the centre
  const sum = i => rgb(DIVERGING, i).reduce((a, b) => a + b, 0);
  ok(Math.abs(sum(64) - sum(192)) < 60, `brightness at ±0.5: ${sum(64)} vs ${sum(192)}`);
});

test('symmetricByteToIndex: 0 is white, ±limit are the ends, monotone in between', () => {
  // bytes stand for -0.5 .. 2: byte 51 is exactly 0
  const f = decodeFrame(encodeFrame({ min: -0.5, max: 2 }));
  const map = symmetricByteToIndex(f, 2);
  eq(map[51], DIVERGING_CENTRE, 'the byte of 0 lands on white');
  eq(map[255], 255, '+limit is the red end');
  eq(map[0], DIVERGING_CENTRE - 32, '-0.5 of ±2 is a quarter of the way to the blue end');
  for (let b = 1; b < 256; b++) ok(map[b] >= map[b - 1], `falls at byte ${b}`);
  for (let b = 0; b < 51; b++) ok(map[b] < DIVERGING_CENTRE, `negative byte ${b} on the blue side`);
  for (let b = 52; b < 256; b++) ok(map[b] > DIVERGING_CENTRE, `positive byte ${b} on the red side`);

  const both = symmetricByteToIndex(decodeFrame(encodeFrame({ min: -1, max: 1 })), 1);
  eq(both[0], 0, '-limit is the blue end');
  eq(both[255], 255);
  // beyond the limit: the ends; no limit: all white
  const clipped = symmetricByteToIndex(f, 1);
  eq(clipped[255], 255);
  eq(clipped[0], DIVERGING_CENTRE - 64);
  ok(symmetricByteToIndex(f, 0).every(i => i === DIVERGING_CENTRE), 'a limit of 0 makes every cell white');
});

test('indexMapFor: viridis over the given range, diverging over ±max(|min|, |max|) of it', () => {
  const f = decodeFrame(encodeFrame({ min: -0.5, max: 2 }));
  deepEq(Array.from(indexMapFor(f, COLOUR_MAPS.viridis)), Array.from(byteToIndex(f)));
  deepEq(Array.from(indexMapFor(f, COLOUR_MAPS.viridis, { min: -1, max: 2 })),
    Array.from(byteToIndex(f, { min: -1, max: 2 })));
  deepEq(Array.from(indexMapFor(f, COLOUR_MAPS.diverging)), Array.from(symmetricByteToIndex(f, 2)),
    'the frame\'s own range: limit 2');
  const shared = indexMapFor(f, COLOUR_MAPS.diverging, { min: -4, max: 1 });
  eq(shared[51], DIVERGING_CENTRE);
  eq(shared[255], DIVERGING_CENTRE + 64, '2 of ±4 is half way to the red end');
});

test('the range a map shows, and the default map of an activation', () => {
  deepEq(shownRange(COLOUR_MAPS.viridis, -0.5, 2), { min: -0.5, max: 2 });
  deepEq(shownRange(COLOUR_MAPS.diverging, -0.5, 2), { min: -2, max: 2 });
  deepEq(shownRange(COLOUR_MAPS.diverging, -3, 1), { min: -3, max: 3 });
  eq(symmetricLimit(NaN, -0.25), 0.25);
  eq(symmetricLimit(NaN, NaN), 0);
  eq(colourMap('diverging'), COLOUR_MAPS.diverging);
  eq(colourMap('viridis'), COLOUR_MAPS.viridis);
  eq(colourMap('toString'), COLOUR_MAPS.viridis, 'an unknown id is viridis');
  eq(defaultColourMap(['sin']), 'diverging');
  eq(defaultColourMap(['tanh', 'sin']), 'diverging');
  eq(defaultColourMap(['relu']), 'viridis');
  eq(defaultColourMap(['sin', 'gelu']), 'viridis', 'one unsigned run decides for all');
  eq(defaultColourMap(['identity']), 'viridis');
  eq(defaultColourMap([]), 'viridis');
});

test('putColour reads the table it is given', () => {
  const px = new Uint8ClampedArray(4);
  putColour(px, 0, DIVERGING_CENTRE, DIVERGING);
  deepEq(Array.from(px), [255, 255, 255, 255]);
});
