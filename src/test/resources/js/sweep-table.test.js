import { PointsTable, SweepRunsTable } from '/static/sweep-table.js';
import { deepEq, eq, ok, test } from './assert.js';
import { SWEEP_FIELDS, point, sweepReply } from './sweep-fixture.js';

function fixture() {
  document.getElementById('fixture').innerHTML = `
    <span id="compare-note"></span><button id="compare-points" disabled>Compare selected</button>
    <table><thead><tr id="points-head"><th class="check"></th></tr></thead><tbody id="points-body"></tbody></table>
    <span id="sweep-runs-note"></span><table><tbody id="sweep-runs-body"></tbody></table>`;
}

const rowKeys = () => [...document.querySelectorAll('#points-body tr')].map(r => r.dataset.key);
const cell = (key, col) => document.querySelector(`#points-body tr[data-key="${key}"] td[data-col="${col}"]`)
  .textContent;
const header = col => document.querySelector(`#points-head th[data-col="${col}"]`);

test('the points table: a row per point, sorted by a click, reversed by another', () => {
  fixture();
  const table = new PointsTable(SWEEP_FIELDS, 12);
  const points = [point(5, 0.001, { best: 0.8 }), point(3, 0.01, { best: 0.9 }), point(7, 0.0001)];
  table.show(['kernel', 'lr'], points);
  deepEq([...document.querySelectorAll('#points-head th')].map(th => th.textContent),
    ['', 'Kernel k', 'Learning rate', 'Runs done', 'Best test acc.', 'Final test acc.', 'Mean time']);
  deepEq(rowKeys(), points.map(p => p.label), 'the sweep\'s order');
  eq(cell('kernel=3 lr=0.01', 'best'), '90.00 %');
  eq(cell('kernel=7 lr=0.0001', 'field:lr'), '1e-4');

  header('field:kernel').querySelector('button').click();
  deepEq(rowKeys(), ['kernel=3 lr=0.01', 'kernel=5 lr=0.001', 'kernel=7 lr=0.0001']);
  eq(header('field:kernel').getAttribute('aria-sort'), 'ascending');
  header('field:kernel').querySelector('button').click();
  deepEq(rowKeys(), ['kernel=7 lr=0.0001', 'kernel=5 lr=0.001', 'kernel=3 lr=0.01']);
  eq(header('field:kernel').getAttribute('aria-sort'), 'descending');
  header('best').querySelector('button').click();
  deepEq(rowKeys(), ['kernel=3 lr=0.01', 'kernel=5 lr=0.001', 'kernel=7 lr=0.0001'], 'the best first');
  eq(header('field:kernel').getAttribute('aria-sort'), null);
});

test('new answers update the rows in place: selection and sort survive', () => {
  fixture();
  const table = new PointsTable(SWEEP_FIELDS, 12);
  table.show(['kernel', 'lr'], [point(3, 0.001), point(5, 0.001)]);
  header('best').querySelector('button').click();
  const rows = [...document.querySelectorAll('#points-body tr')];
  const check = rows[1].querySelector('input.point-select');
  check.click();
  ok(rows[1].classList.contains('selected'));
  const button = document.getElementById('compare-points');
  eq(button.disabled, false, 'one point of two seeds: two runs');
  eq(button.textContent, 'Compare 2 runs');

  table.show(['kernel', 'lr'], [point(3, 0.001, { best: 0.7, finished: 2 }), point(5, 0.001, { best: 0.8,
    finished: 1 })]);
  const after = [...document.querySelectorAll('#points-body tr')];
  deepEq(after.map(r => r.dataset.key), ['kernel=5 lr=0.001', 'kernel=3 lr=0.001'], 'still the best first');
  ok(after.includes(rows[0]) && after.includes(rows[1]), 'the same rows');
  ok(rows[1].querySelector('input.point-select').checked, 'still selected');
  eq(cell('kernel=3 lr=0.001', 'runs'), '2 / 2');
  eq(after[1].dataset.finished, 'true');
  eq(after[0].dataset.finished, 'false');
});

test('the compare button says why it cannot', () => {
  fixture();
  const table = new PointsTable(SWEEP_FIELDS, 3);
  table.show(['kernel', 'lr'], [point(3, 0.001), point(5, 0.001), point(7, 0.001, { runs: 1 })]);
  const button = document.getElementById('compare-points');
  const select = key => document.querySelector(`#points-body tr[data-key="${key}"] input`).click();
  eq(button.disabled, true);
  eq(document.getElementById('compare-note').textContent, '', 'nothing selected: no note');
  select('kernel=7 lr=0.001');
  eq(button.disabled, true);
  ok(/two runs/.test(document.getElementById('compare-note').textContent));
  select('kernel=3 lr=0.001');
  eq(button.disabled, false);
  eq(button.textContent, 'Compare 3 runs');
  select('kernel=5 lr=0.001');
  eq(button.disabled, true);
  ok(document.getElementById('compare-note').textContent.includes('at most 3'));
  ok(button.title.includes('at most 3'));
  table.show(['kernel', 'lr'], [point(3, 0.001), point(7, 0.001, { runs: 1 })]);
  eq(button.disabled, false, 'a point that went away leaves the selection');
});

test('the runs table: links, point, seed, device and its sharing', () => {
  fixture();
  const runs = new SweepRunsTable();
  const reply = sweepReply([point(3, 0.001)]);
  reply.runs[0].device = 'CPU (1 thread)';
  reply.runs[1].sharing = 2;
  reply.runs[1].name = '<b>x</b>';
  runs.show(reply.runs);
  const rows = [...document.querySelectorAll('#sweep-runs-body tr')];
  eq(rows.length, 2);
  eq(rows[0].querySelector('a').getAttribute('href'), `/runs/${reply.runs[0].id}`);
  eq(rows[0].querySelector('td.point').textContent, 'kernel 3 · lr 0.001');
  eq(rows[1].querySelector('a').textContent, '<b>x</b>', 'a name is text');
  eq(rows[1].querySelector('.sharing').textContent, 'shares its device with 2 other runs');
  eq(rows[0].querySelector('.sharing'), null);
  eq(document.getElementById('sweep-runs-note').textContent, '2 runs');
  reply.runs[0].status = 'running';
  runs.show(reply.runs);
  eq(document.querySelectorAll('#sweep-runs-body tr')[0], rows[0], 'updated in place');
  eq(rows[0].querySelector('.badge').textContent, 'running');
});
