import {
  comparison, compareUrl, countIn, countList, meanStdText, nextSort, pointCells, pointColumns, pointKey, pointText,
  readSweep, sharingText, sortPoints, sortValue, sweptText,
} from '/static/sweep-points.js';
import { deepEq, eq, ok, test } from './assert.js';
import { SWEEP_FIELDS, point, sweepReply } from './sweep-fixture.js';

const labels = points => points.map(p => p.label);

test('the full reply\'s runs are the array of summaries; a list summary\'s count becomes the total', () => {
  const s = readSweep(sweepReply([point(3, 0.001), point(5, 0.001)]));
  eq(s.runs.length, 4);
  eq(s.total, 4);
  eq(s.points.length, 2);
  deepEq(s.fields, ['kernel', 'lr']);
  const listed = readSweep({ id: 'x', runs: 6, counts: { queued: 6 } });
  deepEq(listed.runs, []);
  eq(listed.total, 6);
  const nothing = readSweep(null);
  deepEq([nothing.fields, nothing.runs, nothing.points, nothing.counts, nothing.total], [[], [], [], {}, 0]);
});

test('a point is known by its label, and written field by field', () => {
  eq(pointKey({ label: 'kernel=3', point: { kernel: 3 } }), 'kernel=3');
  eq(pointKey({ point: { kernel: 3 } }), '{"kernel":3}');
  eq(pointText({ kernel: 3, lr: 0.0001, activation: 'relu' }), 'kernel 3 · lr 1e-4 · activation relu');
  eq(pointText(null), '–');
});

test('columns: one per swept field with its label, then runs, accuracies and time', () => {
  const cols = pointColumns(['kernel', 'activation', 'unknown'], SWEEP_FIELDS);
  deepEq(cols.map(c => c.id), ['field:kernel', 'field:activation', 'field:unknown', 'runs', 'best', 'final',
    'seconds']);
  deepEq(cols.slice(0, 3).map(c => c.label), ['Kernel k', 'Activation', 'unknown']);
  deepEq(cols.slice(0, 3).map(c => c.numeric), [true, false, false]);
});

test('cells: the field values, runs finished of all, mean ± std, the mean time', () => {
  const p = point(5, 0.0001, { best: 0.84213, bestStd: 0.00371, final: 0.83, finalStd: null, finished: 1,
    seconds: 187 });
  deepEq(pointCells(p, pointColumns(['kernel', 'lr'], SWEEP_FIELDS)),
    ['5', '1e-4', '1 / 2', '84.21 ± 0.37 %', '83.00 %', '3 min 07 s']);
  deepEq(pointCells(point(3, 0.01), pointColumns(['kernel'], SWEEP_FIELDS)), ['3', '0 / 2', '–', '–', '–']);
  eq(meanStdText(0.5, 0), '50.00 ± 0.00 %', 'one run: a deviation of 0');
});

test('sorting by a field, an accuracy, the runs done; no value comes last either way; ties keep their order', () => {
  const a = point(3, 0.001, { best: 0.8, finished: 2 });
  const b = point(5, 0.0001, { best: 0.9, finished: 1 });
  const c = point(7, 0.01, { finished: 0 });
  const d = point(5, 0.01, { best: 0.8, finished: 2 });
  const points = [a, b, c, d];
  deepEq(labels(sortPoints(points, null)), labels(points), 'no sort: the sweep\'s order');
  deepEq(labels(sortPoints(points, { column: 'field:kernel', dir: 'asc' })), labels([a, b, d, c]));
  deepEq(labels(sortPoints(points, { column: 'field:kernel', dir: 'desc' })), labels([c, b, d, a]));
  deepEq(labels(sortPoints(points, { column: 'field:lr', dir: 'asc' })), labels([b, a, c, d]));
  deepEq(labels(sortPoints(points, { column: 'best', dir: 'desc' })), labels([b, a, d, c]));
  deepEq(labels(sortPoints(points, { column: 'best', dir: 'asc' })), labels([a, d, b, c]), 'c has none: last');
  deepEq(labels(sortPoints(points, { column: 'runs', dir: 'asc' })), labels([c, b, a, d]));
  eq(sortValue(c, 'best'), null);
  eq(sortValue(a, 'runs'), 1);
});

test('texts sort in natural order', () => {
  const p = v => ({ label: v, point: { activation: v }, runs: [] });
  deepEq(labels(sortPoints([p('x10'), p('relu'), p('x2'), p('gelu')], { column: 'field:activation', dir: 'asc' })),
    ['gelu', 'relu', 'x2', 'x10']);
});

test('a click sorts by the column, again reverses; accuracies start with the best', () => {
  deepEq(nextSort(null, 'field:kernel'), { column: 'field:kernel', dir: 'asc' });
  deepEq(nextSort({ column: 'field:kernel', dir: 'asc' }, 'field:kernel'), { column: 'field:kernel', dir: 'desc' });
  deepEq(nextSort({ column: 'field:kernel', dir: 'desc' }, 'field:kernel'), { column: 'field:kernel', dir: 'asc' });
  deepEq(nextSort({ column: 'field:kernel', dir: 'desc' }, 'best'), { column: 'best', dir: 'desc' });
  deepEq(nextSort(null, 'final'), { column: 'final', dir: 'desc' });
  deepEq(nextSort(null, 'seconds'), { column: 'seconds', dir: 'asc' });
});

test('the comparison opens every run of the selected points, at most the page\'s limit', () => {
  const points = [point(3, 0.001), point(5, 0.001), point(7, 0.001, { runs: 1 }), point(9, 0.001, { runs: 12 })];
  const keys = (...ps) => new Set(ps.map(p => p.label));
  const none = comparison(points, new Set(), 12);
  eq(none.enabled, false);
  ok(/select/i.test(none.reason), none.reason);
  const one = comparison(points, keys(points[2]), 12);
  eq(one.enabled, false, 'one run is no comparison');
  const two = comparison(points, keys(points[1], points[0]), 12);
  eq(two.enabled, true);
  deepEq(two.ids, [...points[0].runs, ...points[1].runs], 'in the order of the points given');
  const many = comparison(points, keys(points[0], points[3]), 12);
  eq(many.enabled, false);
  eq(many.ids.length, 14);
  ok(many.reason.includes('14') && many.reason.includes('12'), many.reason);
  eq(comparison(points, keys(points[3]), 12).enabled, true, 'twelve runs are fine');
  eq(compareUrl(['a', 'b c']), '/compare?ids=a,b%20c');
});

test('the header\'s counts, swept fields and a run\'s sharing', () => {
  deepEq(countList({ completed: 2, queued: 0, running: 1, weird: 1 }),
    [{ status: 'running', n: 1 }, { status: 'completed', n: 2 }, { status: 'weird', n: 1 }]);
  eq(countIn({ queued: 2, running: 1, completed: 3 }, new Set(['queued', 'running'])), 3);
  deepEq(sweptText({ sweep: { kernel: [3, 5], lr: '1e-4..1e-2' } }, ['kernel', 'lr']),
    ['kernel: 3, 5', 'lr: 1e-4..1e-2']);
  deepEq(sweptText(null, ['kernel']), ['kernel']);
  eq(sharingText(0), '');
  eq(sharingText(null), '');
  eq(sharingText(1), 'shares its device with 1 other run');
  eq(sharingText(3), 'shares its device with 3 other runs');
});
