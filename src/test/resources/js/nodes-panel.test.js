import { ApiError } from '/static/common.js';
import { NodesPanel } from '/static/nodes-panel.js';
import { deepEq, eq, ok, settle, test } from './assert.js';

const GiB = 2 ** 30;

/** The panel's markup as index.html has it, and a panel whose requests are recorded and answered by reply(). */
function setUp(reply = async () => ({})) {
  const panel = document.createElement('section');
  panel.innerHTML = '<div class="panel-head"><h2>Nodes</h2><span class="panel-note"></span></div>'
    + '<div class="form-errors nodes-error" hidden></div><div class="nodes-single muted">Loading nodes…</div>'
    + '<div class="table-scroll nodes-table-box" hidden><table><tbody></tbody></table></div>';
  document.getElementById('fixture').append(panel);
  const requests = [];
  let changes = 0;
  const nodes = new NodesPanel(panel, {
    request: (method, url, body) => {
      requests.push({ method, url, body });
      return reply(method, url, body);
    },
    onChange: () => changes++,
  });
  return { panel, nodes, requests, changes: () => changes };
}

const cpu = { backend: 'java', name: 'Java (CPU)', available: true, note: '', gpu: false, memoryBytes: 8 * GiB,
  cores: 4 };
const gpu = { backend: 'opencl:0', name: 'NVIDIA H200', available: true, note: 'GPU', gpu: true,
  memoryBytes: 140 * GiB, cores: 0 };
const dashboard = (over = {}) => ({ node: 'd0d0d0d0-1111-2222', role: 'dashboard', host: '10.0.0.1',
  started: '2026-12-01T10:00:00Z', devices: [cpu], lastSeen: '2026-12-01T10:05:00Z', health: 'ok', self: true,
  ...over });
const worker = (id, over = {}) => ({ node: id, role: 'worker', host: `host-${id}`, started: '2026-12-01T10:00:00Z',
  devices: [cpu, gpu], lastSeen: '2026-12-01T10:05:00Z', health: 'ok', self: false, runs: [], draining: false,
  ...over });

const rows = panel => [...panel.querySelectorAll('tbody tr')];
const cellText = (row, cls) => row.querySelector(`td.${cls}`).textContent;

test('one node: a line that the server trains its runs itself, with its devices, and no table', () => {
  const { panel, nodes } = setUp();
  nodes.update({ nodes: [dashboard({ devices: [cpu, gpu] })] });
  const single = panel.querySelector('.nodes-single');
  eq(single.hidden, false);
  eq(panel.querySelector('.nodes-table-box').hidden, true);
  ok(single.textContent.includes('This server trains its runs itself (one node: 10.0.0.1).'), single.textContent);
  eq(single.querySelector('.id').textContent, 'd0d0d0d0');
  eq(single.querySelector('.id').title, 'd0d0d0d0-1111-2222');
  eq(single.querySelector('.badge').textContent, 'ok');
  deepEq([...single.querySelectorAll('.node-device')].map(d => d.textContent),
    ['java Java (CPU) CPU, 8.0 GiB, 4 cores', 'opencl:0 NVIDIA H200 GPU, 140 GiB']);
  eq(panel.querySelector('.panel-note').textContent, '');
  eq(panel.querySelectorAll('button').length, 0);
});

test('a cluster: a row per node with role, host, short id, health, devices, runs and draining', () => {
  const { panel, nodes } = setUp();
  nodes.update({ nodes: [dashboard(), worker('aaaaaaaa-bbbb', { runs: ['a1b2c3d4e5f6', 'f6e5d4c3b2a1'] }),
    worker('cccccccc-dddd', { health: 'silent', draining: true, runs: undefined, devices: [] })] });
  eq(panel.querySelector('.nodes-single').hidden, true);
  eq(panel.querySelector('.nodes-table-box').hidden, false);
  const [d, w1, w2] = rows(panel);
  eq(rows(panel).length, 3);
  ok(cellText(d, 'node').includes('10.0.0.1'));
  ok(cellText(d, 'node').includes('(this server)'));
  ok(cellText(d, 'node').includes('dashboard · d0d0d0d0'), cellText(d, 'node'));
  eq(d.querySelector('td.node .short').title, 'd0d0d0d0-1111-2222');
  eq(cellText(d, 'runs'), '–', 'the dashboard says no runs: none');
  eq(d.querySelector('td.action button'), null, 'the dashboard cannot be drained');
  ok(cellText(w1, 'node').includes('host-aaaaaaaa-bbbb'));
  ok(cellText(w1, 'node').includes('worker · aaaaaaaa'));
  eq(cellText(w1, 'health'), 'ok');
  deepEq([...w1.querySelectorAll('td.runs a')].map(a => a.getAttribute('href')),
    ['/runs/a1b2c3d4e5f6', '/runs/f6e5d4c3b2a1']);
  eq(w1.querySelectorAll('.node-device').length, 2);
  eq(w1.querySelector('td.action button').textContent, 'Drain');
  eq(w1.dataset.draining, 'false');
  deepEq([...w2.querySelectorAll('td.health .badge')].map(b => b.textContent), ['silent', 'draining']);
  eq(cellText(w2, 'runs'), '–', 'an older node without runs');
  eq(cellText(w2, 'devices'), 'no devices');
  eq(w2.querySelector('td.action button').textContent, 'Take runs again');
  eq(panel.querySelector('.panel-note').textContent, '3 nodes, 2 workers, 1 silent, 1 draining');
});

test('rows are updated in place, a heartbeat alone redraws nothing, and go with their node', () => {
  const { panel, nodes } = setUp();
  nodes.update({ nodes: [dashboard(), worker('w1')] });
  const [, row] = rows(panel);
  const button = row.querySelector('button');
  nodes.update({ nodes: [dashboard({ lastSeen: '2026-12-01T10:05:02Z' }), worker('w1',
    { lastSeen: '2026-12-01T10:05:02Z' })] });
  eq(rows(panel)[1].querySelector('button'), button, 'the same button: a click is not lost');
  nodes.update({ nodes: [dashboard(), worker('w1', { runs: ['r1'] }), worker('w2')] });
  eq(rows(panel)[1], row, 'the same row');
  eq(row.querySelector('td.runs a').textContent, 'r1');
  nodes.update({ nodes: [dashboard(), worker('w2')] });
  deepEq(rows(panel).map(r => r.dataset.node), ['d0d0d0d0-1111-2222', 'w2']);
  nodes.update({ nodes: [dashboard()] });
  eq(rows(panel).length, 0);
  eq(panel.querySelector('.nodes-single').hidden, false, 'back to one node');
});

test('Drain posts {"drain": true}, shows the node draining and asks for the nodes again', async () => {
  let answer;
  const { panel, nodes, requests, changes } = setUp(() => new Promise(resolve => { answer = resolve; }));
  nodes.update({ nodes: [dashboard(), worker('w 1')] });
  rows(panel)[1].querySelector('button').click();
  deepEq(requests, [{ method: 'POST', url: '/api/nodes/w%201/drain', body: { drain: true } }]);
  eq(rows(panel)[1].querySelector('button').disabled, true, 'no second request while one is under way');
  rows(panel)[1].querySelector('button').click();
  eq(requests.length, 1);
  answer({});
  await settle();
  const button = rows(panel)[1].querySelector('button');
  eq(button.disabled, false);
  eq(button.textContent, 'Take runs again');
  eq(rows(panel)[1].dataset.draining, 'true');
  eq(changes(), 1);
  eq(panel.querySelector('.nodes-error').hidden, true);
});

test('Take runs again posts {"drain": false}', async () => {
  const { panel, nodes, requests } = setUp(async () => ({ node: 'w1', draining: false }));
  nodes.update({ nodes: [dashboard(), worker('w1', { draining: true })] });
  rows(panel)[1].querySelector('button').click();
  await settle();
  deepEq(requests.map(r => r.body), [{ drain: false }]);
  eq(rows(panel)[1].querySelector('button').textContent, 'Drain');
});

test('a refused drain shows the server\'s error in the panel until one succeeds', async () => {
  let fail = true;
  const { panel, nodes, changes } = setUp(async () => {
    if (fail) throw new ApiError(404, { error: 'no node w1 in the cluster' }, '');
    return {};
  });
  nodes.update({ nodes: [dashboard(), worker('w1')] });
  rows(panel)[1].querySelector('button').click();
  await settle();
  const error = panel.querySelector('.nodes-error');
  eq(error.hidden, false);
  eq(error.textContent, 'Could not drain host-w1: no node w1 in the cluster');
  eq(rows(panel)[1].querySelector('button').textContent, 'Drain', 'still not draining');
  eq(rows(panel)[1].querySelector('button').disabled, false);
  eq(changes(), 1);
  nodes.update({ nodes: [dashboard(), worker('w1')] });
  eq(error.hidden, false, 'a poll leaves the error');
  fail = false;
  rows(panel)[1].querySelector('button').click();
  await settle();
  eq(error.hidden, true);
});

test('a failed first poll is said; a later failure leaves the nodes shown', () => {
  const { panel, nodes } = setUp();
  nodes.failed('HTTP 502');
  eq(panel.querySelector('.nodes-single').textContent, 'Cannot list the nodes (HTTP 502).');
  nodes.update({ nodes: [dashboard()] });
  nodes.failed('HTTP 502');
  ok(panel.querySelector('.nodes-single').textContent.startsWith('This server trains its runs itself'));
});

test('no node reported', () => {
  const { panel, nodes } = setUp();
  nodes.update({ nodes: [] });
  eq(panel.querySelector('.nodes-single').textContent, 'No node reported.');
  eq(panel.querySelector('.nodes-table-box').hidden, true);
});
