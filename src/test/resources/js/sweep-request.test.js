import { conditionValues, formErrors, sweepBody } from '/static/sweep-request.js';
import { deepEq, eq, ok, test } from './assert.js';
import { FIELDS } from './fields.js';

const NOT_SWEPT = { seed: 'is varied by seeds', backend: 'says where', threads: 'says where' };

/** The form's texts: every field's default, overlaid. */
function values(over = {}) {
  const v = Object.fromEntries(FIELDS.map(f => [f.name, String(f.default)]));
  return Object.assign(v, over);
}

const body = (over, rest = {}) => sweepBody({ fields: FIELDS, values: values(over), name: '', seeds: '1',
  mode: 'grid', points: '10', notSwept: NOT_SWEPT, ...rest });

test('lists go to "sweep" as numbers and strings, single values to "base" as a run\'s config has them', () => {
  const b = body({ kernel: '3,5', activation: ['sin', 'relu'], lr: '0.001', dataset: 'synthetic', samples: '512' },
    { seeds: '2', name: '  kernels  ' });
  deepEq(b.sweep, { kernel: [3, 5], activation: ['sin', 'relu'] });
  eq(b.base.lr, 0.001);
  eq(b.base.dataset, 'synthetic');
  eq(b.base.samples, 512);
  eq(b.base.height, 64);
  ok(!('kernel' in b.base) && !('activation' in b.base), 'a swept field is not in the base');
  ok(!('layers' in b.base), 'a field that applies to no point is left out');
  eq(b.base.backend, 'auto');
  eq(b.name, 'kernels');
  eq(b.seeds, 2);
  eq(b.mode, 'grid');
  ok(!('points' in b), 'points belong to random mode');
  deepEq(Object.keys(b), ['name', 'base', 'sweep', 'seeds', 'mode']);
});

test('one ticked choice and a one-value list are not swept', () => {
  const b = body({ activation: ['relu'], kernel: '5,' });
  deepEq(b.sweep, {});
  eq(b.base.activation, 'relu');
  eq(b.base.kernel, 5);
  ok(!('name' in b), 'no name: the server names the sweep');
});

test('random mode: ranges as text and the number of points', () => {
  const b = body({ lr: '1e-4..1e-2', kernel: '3,5,7' }, { mode: 'random', points: '12' });
  deepEq(b.sweep, { kernel: [3, 5, 7], lr: '1e-4..1e-2' });
  eq(b.points, 12);
  eq(b.mode, 'random');
  eq(body({}, { mode: 'random', points: 'many' }).points, 'many', 'for the server to name');
  eq(body({}, { seeds: '' }).seeds, '', 'for the server to name');
});

test('a swept choice shows every field that applies at some point', () => {
  const cond = conditionValues(FIELDS, values({ gridType: ['2d', '3d'] }));
  deepEq(cond.gridType, ['2d', '3d']);
  const b = body({ gridType: ['2d', '3d'], layers: '4,8' });
  deepEq(b.sweep, { gridType: ['2d', '3d'], layers: [4, 8] });
  eq(b.base.height, 64, 'height applies to the 2d points');
});

test('fields the server never sweeps stay single values, whatever their text', () => {
  const b = body({ threads: '1', backend: 'java' });
  eq(b.base.threads, 1);
  eq(b.base.backend, 'java');
  deepEq(b.sweep, {});
  eq(body({ threads: '1,2' }).base.threads, '1,2', 'sent as it is, for the server to refuse');
});

test('errors of the base sit on their fields; the sweep\'s own keys stay', () => {
  deepEq(formErrors([{ field: 'base.kernel', message: 'must be odd' }, { field: 'kernel', message: 'x (point kernel=9)' },
    { field: 'seeds', message: 'must be between 1 and 100' }, { field: 'sweep', message: 'too many' }]).map(e => e.field),
  ['kernel', 'kernel', 'seeds', 'sweep']);
  eq(formErrors([{ field: 'base.lr', message: 'm' }])[0].message, 'm');
  deepEq(formErrors(undefined), []);
});
