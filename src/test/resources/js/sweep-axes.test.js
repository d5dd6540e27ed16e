import { axisText, niceTicks, sweptAxis } from '/static/sweep-axes.js';
import { deepEq, eq, near, test } from './assert.js';
import { SWEEP_FIELDS } from './sweep-fixture.js';

const field = name => SWEEP_FIELDS.find(f => f.name === name);

test('values as an axis writes them', () => {
  eq(axisText(3), '3');
  eq(axisText(0.001), '0.001');
  eq(axisText(0.0003), '3e-4');
  eq(axisText(0.00012345), '1.23e-4');
  eq(axisText(2e6), '2e6');
  eq(axisText(1.23456), '1.235');
  eq(axisText('relu'), 'relu');
  eq(axisText(null), '–');
});

test('round ticks at steps of 1, 2 or 5', () => {
  deepEq(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  deepEq(niceTicks(81.3, 84.9, 4), [82, 83, 84]);
  deepEq(niceTicks(0.1, 0.4, 3), [0.1, 0.2, 0.3, 0.4], 'without floating-point noise');
  deepEq(niceTicks(5, 5), [5]);
});

test('an integer field is a linear axis ticked at its values', () => {
  const a = sweptAxis('kernel', field('kernel'), [5, 3, 7, 3]);
  eq(a.kind, 'linear');
  eq(a.label, 'Kernel k');
  eq(a.min, 3);
  eq(a.max, 7);
  deepEq(a.ticks, [{ at: 3, label: '3' }, { at: 5, label: '5' }, { at: 7, label: '7' }]);
  eq(a.unit(3), 0);
  eq(a.unit(5), 0.5);
  eq(a.unit(7), 1);
  eq(a.unit('x'), null);
  eq(a.unit(null), null);
});

test('lr lies on a log axis: decades are equally far apart', () => {
  const a = sweptAxis('lr', field('lr'), [1e-4, 1e-3, 1e-2]);
  eq(a.kind, 'log');
  near(a.unit(1e-4), 0);
  near(a.unit(1e-3), 0.5);
  near(a.unit(1e-2), 1);
  deepEq(a.ticks.map(t => t.label), ['1e-4', '0.001', '0.01']);
  near(a.ticks[1].at, -3);
});

test('a log axis of many values is ticked at whole decades', () => {
  const values = Array.from({ length: 20 }, (_, i) => 10 ** (-4 + (i * 2) / 19));
  const a = sweptAxis('lr', field('lr'), values);
  deepEq(a.ticks.map(t => t.label), ['1e-4', '0.001', '0.01']);
  deepEq(a.ticks.map(t => t.at), [-4, -3, -2]);
});

test('a weight decay of 0 sits a decade below the smallest positive one, labelled 0', () => {
  const a = sweptAxis('weightDecay', field('weightDecay'), [0, 1e-4, 1e-3]);
  eq(a.kind, 'log');
  eq(a.position(0), -5);
  eq(a.min, -5);
  near(a.unit(0), 0);
  near(a.unit(1e-4), 0.5);
  near(a.unit(1e-3), 1);
  deepEq(a.ticks.map(t => t.label), ['0', '1e-4', '0.001']);
  eq(a.unit(-1), null, 'nothing negative on a log axis');
  eq(sweptAxis('weightDecay', field('weightDecay'), [0, 0]).kind, 'linear', 'all zero: nothing to take the log of');
});

test('a choice field is a category axis, evenly spaced in the order the sweep lists it', () => {
  const a = sweptAxis('activation', field('activation'), ['sin', 'relu', 'sin', 'tanh']);
  eq(a.kind, 'category');
  deepEq(a.categories, ['sin', 'relu', 'tanh']);
  deepEq(a.ticks, [{ at: 0, label: 'sin' }, { at: 1, label: 'relu' }, { at: 2, label: 'tanh' }]);
  eq(a.unit('sin'), 0);
  eq(a.unit('relu'), 0.5);
  eq(a.unit('tanh'), 1);
  eq(a.unit('gelu'), null);
  eq(sweptAxis('activation', field('activation'), ['sin']).unit('sin'), 0.5, 'one category: in the middle');
});

test('one value on a numeric axis lies in the middle', () => {
  const a = sweptAxis('gain', field('gain'), [1, 1]);
  eq(a.unit(1), 0.5);
  eq(a.unitAt(1), 0.5);
});

test('a field the page does not know: numbers linear, anything else categories', () => {
  eq(sweptAxis('mystery', undefined, [1, 2]).kind, 'linear');
  eq(sweptAxis('mystery', undefined, [1, 'b']).kind, 'category');
  eq(sweptAxis('mystery', undefined, [true, false]).kind, 'category');
});
