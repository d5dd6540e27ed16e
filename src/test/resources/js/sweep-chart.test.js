import { sweptAxis } from '/static/sweep-axes.js';
import { accuracySeries, xRange } from '/static/sweep-chart.js';
import { deepEq, eq, near, test } from './assert.js';
import { SWEEP_FIELDS, point } from './sweep-fixture.js';

const descriptor = name => SWEEP_FIELDS.find(f => f.name === name);
const axesOf = (points, fields) => new Map(fields.map(f => [f, sweptAxis(f, descriptor(f),
  points.map(p => p.point[f]))]));

test('one swept field: one series of the means in percent with ± one std, along the axis', () => {
  const points = [
    { label: 'k5', point: { kernel: 5 }, bestTestMean: 0.8, bestTestStd: 0.02 },
    { label: 'k3', point: { kernel: 3 }, bestTestMean: 0.7, bestTestStd: 0 },
    { label: 'k7', point: { kernel: 7 }, bestTestMean: null, bestTestStd: null },
  ];
  const series = accuracySeries(points, 'kernel', 'best', axesOf(points, ['kernel']));
  eq(series.length, 1);
  deepEq(series[0].points.map(p => p.x), [3, 5], 'sorted along x; a point without a mean is left out');
  near(series[0].points[1].y, 80);
  near(series[0].points[1].lo, 78);
  near(series[0].points[1].hi, 82);
  eq(series[0].points[1].text, '80.00 ± 2.00 %');
  eq(series[0].points[0].lo, series[0].points[0].hi, 'no spread: no bar');
});

test('the final accuracy, and a point without a std', () => {
  const points = [{ label: 'a', point: { kernel: 3 }, bestTestMean: 0.9, finalTestMean: 0.85, finalTestStd: null }];
  const [s] = accuracySeries(points, 'kernel', 'final', axesOf(points, ['kernel']));
  near(s.points[0].y, 85);
  near(s.points[0].lo, 85);
  near(s.points[0].hi, 85);
});

test('two swept fields: a series per value of the other, on the log axis of lr', () => {
  const points = [point(3, 0.001, { best: 0.7 }), point(3, 0.01, { best: 0.75 }), point(5, 0.001, { best: 0.8 }),
    point(5, 0.01, { best: 0.85 })];
  const series = accuracySeries(points, 'lr', 'best', axesOf(points, ['kernel', 'lr']));
  deepEq(series.map(s => s.label), ['kernel 3', 'kernel 5']);
  deepEq(series[1].points.map(p => Math.round(p.x)), [-3, -2]);
  deepEq(series[1].points.map(p => Math.round(p.y)), [80, 85]);
});

test('categories: the series of one category are drawn side by side around it', () => {
  const points = [
    { label: 'a', point: { activation: 'sin', kernel: 3 }, bestTestMean: 0.8 },
    { label: 'b', point: { activation: 'sin', kernel: 5 }, bestTestMean: 0.82 },
    { label: 'c', point: { activation: 'relu', kernel: 3 }, bestTestMean: 0.7 },
  ];
  const series = accuracySeries(points, 'activation', 'best', axesOf(points, ['activation', 'kernel']));
  deepEq(series.map(s => s.label), ['kernel 3', 'kernel 5']);
  const [k3, k5] = series;
  near(k3.points[0].x, -0.18);
  near(k3.points[1].x, 0.82);
  near(k5.points[0].x, 0.18);
  eq(accuracySeries(points, 'nope', 'best', axesOf(points, ['activation'])).length, 0, 'an unknown field');
});

test('the x range leaves room around the outer points', () => {
  const cat = sweptAxis('activation', descriptor('activation'), ['sin', 'relu']);
  deepEq(xRange(cat), { min: -0.5, max: 1.5 });
  const lin = sweptAxis('kernel', descriptor('kernel'), [3, 7]);
  const r = xRange(lin);
  eq(r.min < 3 && r.max > 7, true);
  const one = xRange(sweptAxis('lr', descriptor('lr'), [1e-3]));
  near(one.max - one.min, 1, 1e-9, 'one lr: a decade around it');
});
