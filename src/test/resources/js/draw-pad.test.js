import { BRUSH, DrawPad, brushAt, stamp, stampLine } from '/static/draw-pad.js';
import { deepEq, eq, ok, test } from './assert.js';

const at = (values, r, c) => values[r * 28 + c];

test('the brush is full in its core and fades out to its radius', () => {
  eq(brushAt(0), BRUSH.strength);
  eq(brushAt(BRUSH.core), BRUSH.strength);
  eq(brushAt(BRUSH.radius), 0);
  const mid = brushAt((BRUSH.core + BRUSH.radius) / 2);
  ok(mid > 0.4 && mid < 0.6, `half way out: ${mid}`);
});

test('a stamp lights the cells around it in 0..1 and leaves the rest black', () => {
  const v = new Float32Array(784);
  ok(stamp(v, 10.5, 5.5));
  eq(at(v, 5, 10), 1, 'the centre cell');
  ok(at(v, 5, 11) > 0 && at(v, 5, 11) <= 1, 'a neighbour');
  eq(at(v, 5, 13), 0, 'beyond the radius');
  eq(at(v, 0, 0), 0);
  ok(v.every(x => x >= 0 && x <= 1));
  ok(!stamp(v, 10.5, 5.5), 'the same stamp again changes nothing: strokes never pile up past the brush');
});

test('a stamp at the edge stays inside the 28x28 image', () => {
  const v = new Float32Array(784);
  stamp(v, 0.5, 0.5);
  stamp(v, 27.5, 27.5);
  eq(at(v, 0, 0), 1);
  eq(at(v, 27, 27), 1);
  stamp(v, -3, 14);
  stamp(v, 31, 14);
  eq(v.length, 784, 'stamps beyond the edge write nothing outside');
  ok(at(v, 14, 0) === 0 && at(v, 14, 27) === 0, 'nor anything inside when the brush does not reach in');
});

test('a fast stroke is drawn without gaps', () => {
  const v = new Float32Array(784);
  stampLine(v, { x: 2.5, y: 14.5 }, { x: 25.5, y: 14.5 });
  for (let c = 2; c <= 25; c++) eq(at(v, 14, c), 1, `cell ${c} of the row`);
  eq(at(v, 10, 14), 0, 'rows away stay black');
});

test('the pad draws a pointer stroke and hands over its values when the stroke ends', () => {
  const canvas = document.createElement('canvas');
  canvas.style.width = '224px';
  canvas.style.height = '224px';
  document.getElementById('fixture').append(canvas);
  const strokes = [];
  const pad = new DrawPad(canvas, { onStroke: v => strokes.push(v) });
  ok(pad.isEmpty());
  const rect = canvas.getBoundingClientRect();
  const event = (type, x, y) => new PointerEvent(type, { clientX: rect.left + x, clientY: rect.top + y,
    pointerId: 1, button: 0, bubbles: true });
  canvas.dispatchEvent(event('pointerdown', 40, 112));
  canvas.dispatchEvent(event('pointermove', 180, 112));
  eq(strokes.length, 0, 'nothing before the stroke ends');
  canvas.dispatchEvent(event('pointerup', 180, 112));
  eq(strokes.length, 1);
  const v = strokes[0];
  eq(v.length, 784);
  eq(at(v, 14, 14), 1, 'the middle of the stroke');
  eq(at(v, 3, 14), 0);
  const grey = Array.from(canvas.getContext('2d').getImageData(14, 14, 1, 1).data);
  deepEq(grey, [255, 255, 255, 255], 'the canvas shows the stroke in white');
  pad.clear();
  ok(pad.isEmpty());
});

test('the keyboard draws too: Space puts the pen down, arrows move it, Space lifts it', () => {
  const canvas = document.createElement('canvas');
  document.getElementById('fixture').append(canvas);
  const strokes = [];
  const pad = new DrawPad(canvas, { onStroke: v => strokes.push(v) });
  const key = k => canvas.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  key(' ');
  key('ArrowRight');
  key('ArrowRight');
  key(' ');
  eq(strokes.length, 1);
  eq(at(strokes[0], 14, 16), 1);
  ok(!pad.isEmpty());
});
