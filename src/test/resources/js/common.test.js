import { fmtDuration, fmtInt, fmtNum, fmtPct, statusSets, unwrap, upsertEpoch } from '/static/common.js';
import { deepEq, eq, test } from './assert.js';

test('status sets come from the page data', () => {
  const s = statusSets({ statuses: { active: ['queued', 'running'], resumable: ['failed'], finished: [] } });
  eq(s.active.has('running'), true);
  eq(s.active.has('completed'), false);
  eq(s.resumable.has('failed'), true);
  eq(s.finished.size, 0);
  eq(statusSets({}).active.size, 0, 'none sent: no status is active');
});

test('page data written as Vert.x beans is unwrapped', () => {
  deepEq(unwrap({ map: { a: { list: [1, 2], empty: false } }, empty: false }), { a: [1, 2] });
  deepEq(unwrap({ map: 1, other: 2 }), { map: 1, other: 2 });
});

test('number formats', () => {
  eq(fmtPct(0.12345), '12.35 %');
  eq(fmtPct(null), '–');
  eq(fmtNum(0.00012345), '1.23e-4');
  eq(fmtNum(1.23456789), '1.235');
  eq(fmtInt(1234567.4), '1,234,567');
  eq(fmtDuration(3.21), '3.2 s');
  eq(fmtDuration(187), '3 min 07 s');
  eq(fmtDuration(3720), '1 h 02 min');
});

test('epoch metrics stay in epoch order; an epoch seen again replaces the first', () => {
  const epochs = [];
  upsertEpoch(epochs, { epoch: 2, testLoss: 1 });
  upsertEpoch(epochs, { epoch: 1, testLoss: 2 });
  upsertEpoch(epochs, { epoch: 2, testLoss: 0.5 });
  upsertEpoch(epochs, { testLoss: 9 });
  deepEq(epochs, [{ epoch: 1, testLoss: 2 }, { epoch: 2, testLoss: 0.5 }]);
});
