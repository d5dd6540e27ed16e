import { accuracyAxis, colourPosition, lineColour, parallelGeometry, ParallelCoords } from '/static/parallel-coords.js';
import { sweptAxis } from '/static/sweep-axes.js';
import { VIRIDIS } from '/static/colours.js';
import { deepEq, eq, near, ok, test } from './assert.js';
import { SWEEP_FIELDS } from './sweep-fixture.js';

const descriptor = name => SWEEP_FIELDS.find(f => f.name === name);
const box = { left: 10, right: 210, top: 0, bottom: 100 };

test('the accuracy axis spans the values, with round percent ticks inside', () => {
  const a = accuracyAxis([0.81, 0.85, null, 0.83]);
  near(a.min, 0.81);
  near(a.max, 0.85);
  near(a.unit(0.83), 0.5);
  eq(a.unit(null), null);
  deepEq(a.ticks.map(t => t.label), ['81%', '82%', '83%', '84%', '85%']);
  const one = accuracyAxis([0.5]);
  near(one.unit(0.5), 0.5, 1e-9, 'one value: in the middle');
  const none = accuracyAxis([null]);
  eq(none.unit(null), null);
});

test('axes evenly spread, values from the bottom (lowest) to the top (highest)', () => {
  const kernel = sweptAxis('kernel', descriptor('kernel'), [3, 5, 7]);
  const act = sweptAxis('activation', descriptor('activation'), ['sin', 'relu']);
  const acc = accuracyAxis([0.8, 0.9]);
  const g = parallelGeometry([kernel, act, acc], [
    { key: 'a', values: [3, 'sin', 0.9] },
    { key: 'b', values: [7, 'relu', 0.8] },
  ], box);
  deepEq(g.axes.map(a => a.x), [10, 110, 210]);
  deepEq(g.axes.map(a => a.label), ['Kernel k', 'Activation', 'best test acc.']);
  deepEq(g.axes[0].ticks, [{ y: 100, label: '3' }, { y: 50, label: '5' }, { y: 0, label: '7' }]);
  deepEq(g.axes[1].ticks, [{ y: 100, label: 'sin' }, { y: 0, label: 'relu' }], 'choices at the ends and evenly');
  const byKey = new Map(g.lines.map(l => [l.key, l]));
  deepEq(byKey.get('a').segments, [[[10, 100], [110, 100], [210, 0]]]);
  deepEq(byKey.get('b').segments, [[[10, 0], [110, 0], [210, 100]]]);
  eq(byKey.get('a').t, 1);
  eq(byKey.get('b').t, 0);
  deepEq(g.lines.map(l => l.key), ['b', 'a'], 'the best drawn last, on top');
});

test('lr on its log axis; a line without an accuracy stops short and has no colour', () => {
  const lr = sweptAxis('lr', descriptor('lr'), [1e-4, 1e-3, 1e-2]);
  const gain = sweptAxis('gain', descriptor('gain'), [1, 2]);
  const acc = accuracyAxis([0.7, 0.8]);
  const g = parallelGeometry([lr, gain, acc], [
    { key: 'none', values: [1e-3, 2, null] },
    { key: 'gap', values: [1e-2, undefined, 0.8] },
    { key: 'low', values: [1e-4, 1, 0.7] },
  ], box);
  const byKey = new Map(g.lines.map(l => [l.key, l]));
  const [[first]] = byKey.get('none').segments;
  near(first[1], 50, 1e-9, '1e-3 halfway between 1e-4 and 1e-2');
  eq(byKey.get('none').segments[0].length, 2);
  eq(byKey.get('none').t, null);
  eq(byKey.get('gap').segments.length, 2, 'broken where an axis has no value');
  eq(g.lines[0].key, 'none', 'lines without a value first');
  deepEq(g.lines.map(l => l.key), ['none', 'low', 'gap']);
});

test('colours run along viridis; no value is grey', () => {
  eq(lineColour(0), `rgb(${VIRIDIS[0]}, ${VIRIDIS[1]}, ${VIRIDIS[2]})`);
  ok(lineColour(1) !== lineColour(0));
  eq(lineColour(null), lineColour(undefined));
  const acc = accuracyAxis([0.5, 0.7]);
  eq(colourPosition(0.6, acc), 0.5);
  eq(colourPosition(0.9, acc), 1, 'clamped');
  eq(colourPosition(null, acc), null);
});

test('the canvas draws one polyline per point and says how many', () => {
  const box = document.createElement('div');
  box.style.width = '500px';
  const canvas = document.createElement('canvas');
  box.append(canvas);
  document.getElementById('fixture').append(box);
  const pc = new ParallelCoords(canvas, { height: 200 });
  pc.show([], []);
  eq(canvas.dataset.lines, undefined, 'nothing to draw');
  const kernel = sweptAxis('kernel', descriptor('kernel'), [3, 5]);
  pc.show([kernel, accuracyAxis([0.7, 0.8])], [{ key: 'a', values: [3, 0.7] }, { key: 'b', values: [5, 0.8] }]);
  eq(canvas.dataset.lines, '2');
  eq(canvas.style.width, '500px');
  const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] > 0) inked++;
  ok(inked > 500, `only ${inked} pixels drawn`);
});
