import { VIRIDIS, buildLut, byteToIndex, fmtValue, putColour } from '/static/colours.js';
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
