import { SweepsList, sweptText } from '/static/sweeps-list.js';
import { eq, ok, test } from './assert.js';

function setUp() {
  const panel = document.createElement('section');
  panel.hidden = true;
  panel.innerHTML = '<span class="panel-note"></span><table><tbody></tbody></table>';
  document.getElementById('fixture').append(panel);
  return { panel, list: new SweepsList(panel, { active: new Set(['queued', 'running']) }) };
}

const sweep = (id, over = {}) => ({ id, name: `sweep ${id}`, status: 'running', fields: ['kernel', 'activation'],
  seeds: 2, mode: 'grid', runs: 8, counts: { completed: 3, running: 1, queued: 4 }, progress: 0.4,
  created: '2026-11-29T01:00:00Z', ...over });

test('hidden while the server has no sweep', () => {
  const { panel, list } = setUp();
  list.update({ sweeps: [] });
  eq(panel.hidden, true);
  eq(list.isActive(), false);
});

test('each sweep links to its page, with its status, progress and run counts', () => {
  const { panel, list } = setUp();
  list.update({ sweeps: [sweep('aaa'), sweep('bbb', { status: 'completed', counts: { completed: 8 }, progress: 1,
    name: '' })] });
  eq(panel.hidden, false);
  const rows = panel.querySelectorAll('tbody tr');
  eq(rows.length, 2);
  eq(rows[0].querySelector('td.name a').getAttribute('href'), '/sweeps/aaa');
  eq(rows[0].querySelector('td.name a').textContent, 'sweep aaa');
  eq(rows[1].querySelector('td.name a').textContent, 'bbb', 'no name: the id');
  eq(rows[0].querySelector('.badge').textContent, 'running');
  eq(rows[0].querySelector('.pct').textContent, '40%');
  ok(rows[0].querySelector('td.runs').textContent.includes('8 runs'));
  eq(rows[0].querySelector('td.runs .counts').textContent, '1 running · 4 queued · 3 completed');
  eq(rows[0].querySelector('td.swept').textContent, 'kernel × activation · grid');
  eq(panel.querySelector('.panel-note').textContent, '2 sweeps, 1 active');
  eq(list.isActive(), true);
});

test('rows are updated in place, newest first, and go with their sweep', () => {
  const { panel, list } = setUp();
  list.update({ sweeps: [sweep('aaa')] });
  const row = panel.querySelector('tbody tr');
  list.update({ sweeps: [sweep('ccc'), sweep('aaa', { progress: 0.5 })] });
  const rows = panel.querySelectorAll('tbody tr');
  eq(rows[1], row, 'the same row, moved down');
  eq(rows[0].dataset.id, 'ccc');
  eq(row.querySelector('.pct').textContent, '50%');
  list.update({ sweeps: [sweep('ccc')] });
  eq(panel.querySelectorAll('tbody tr').length, 1);
});

test('what a sweep varies', () => {
  eq(sweptText({ fields: ['lr'], mode: 'random' }), 'lr · random');
  eq(sweptText({ fields: [] }), 'nothing swept');
});
