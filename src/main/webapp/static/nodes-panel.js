// The runs page's panel of the cluster's nodes (GET /api/nodes): a compact table of each node (role, host, short
// id, health, devices, the runs it trains now, whether it is draining) with a button that drains a worker or lets it
// take runs again (POST /api/nodes/{node}/drain). A server without a cluster is one node: the panel then says in a
// line that it trains its runs itself. Rows are updated in place as the page's poller brings new answers.
import { api, el, fmtTime } from './common.js';
import {
  deviceText, drainErrorText, drainLabel, drainRequest, isDraining, isSingleNode, isWorker, nodeRuns,
  nodesCountText, nodesOf, roomText, shortId, singleNodeText,
} from './node-text.js';

export class NodesPanel {
  /**
   * panel: the section, holding a .panel-note, a .nodes-error box, a .nodes-single line and a .nodes-table-box
   * around a table's tbody. request(method, url, body): the API call (api of common.js; a stand-in in tests);
   * onChange(): after a drain was asked for, to ask for the nodes again.
   */
  constructor(panel, { request = api, onChange = () => {} } = {}) {
    this.panel = panel;
    this.note = panel.querySelector('.panel-note');
    this.error = panel.querySelector('.nodes-error');
    this.single = panel.querySelector('.nodes-single');
    this.tableBox = panel.querySelector('.nodes-table-box');
    this.body = panel.querySelector('tbody');
    this.request = request;
    this.onChange = onChange;
    this.nodes = null; // null until the first answer
    this.pending = new Set(); // node ids whose drain request is under way
    this.rows = new Map(); // node id -> {row, key}
    this.singleKey = null;
  }

  /** The nodes as GET /api/nodes answered them. */
  update(answer) {
    this.nodes = nodesOf(answer);
    this.render();
  }

  /** A failed GET: said only while there is nothing better to show. */
  failed(message) {
    if (this.nodes !== null) return;
    this.single.hidden = false;
    this.single.className = 'nodes-single muted';
    this.single.textContent = `Cannot list the nodes (${message}).`;
    this.singleKey = null;
  }

  render() {
    const nodes = this.nodes || [];
    const single = isSingleNode(nodes);
    this.note.textContent = single ? '' : nodesCountText(nodes);
    this.single.hidden = !single && nodes.length > 0;
    this.tableBox.hidden = single || nodes.length === 0;
    if (single) this.renderSingle(nodes[0]);
    else if (nodes.length === 0) {
      this.single.className = 'nodes-single muted';
      this.single.textContent = 'No node reported.';
      this.singleKey = null;
    }
    this.renderRows(single ? [] : nodes);
  }

  renderSingle(n) {
    const key = rowKey(n, false);
    if (key === this.singleKey) return;
    this.singleKey = key;
    this.single.className = 'nodes-single';
    this.single.replaceChildren(
      el('div', { class: 'nodes-line' }, el('span', { text: singleNodeText(n) }), ' ',
        el('span', { class: 'id', title: n.node || '', text: shortId(n.node) }), ' ', healthBadge(n)),
      el('div', { class: 'node-devices' }, devices(n)));
  }

  renderRows(nodes) {
    const known = new Set(nodes.map(n => n.node));
    for (const [id, entry] of this.rows) {
      if (!known.has(id)) {
        entry.row.remove();
        this.rows.delete(id);
      }
    }
    let previous = null;
    for (const n of nodes) {
      let entry = this.rows.get(n.node);
      if (!entry) {
        entry = { row: el('tr', { dataset: { node: n.node } }), key: null };
        this.rows.set(n.node, entry);
      }
      const key = rowKey(n, this.pending.has(n.node));
      if (entry.key !== key) {
        entry.key = key;
        this.fillRow(entry.row, n);
      }
      const expected = previous ? previous.nextElementSibling : this.body.firstElementChild;
      if (expected !== entry.row) this.body.insertBefore(entry.row, expected);
      previous = entry.row;
    }
  }

  fillRow(row, n) {
    const runs = nodeRuns(n);
    row.dataset.role = n.role || '';
    row.dataset.health = n.health || '';
    row.dataset.draining = String(isDraining(n));
    row.replaceChildren(
      el('td', { class: 'node' },
        el('span', { class: 'host', text: n.host || '?' }),
        n.self ? el('span', { class: 'muted', text: ' (this server)' }) : null,
        el('span', { class: 'id' }, `${n.role || '?'} · `,
          el('span', { class: 'short', title: n.node || '', text: shortId(n.node) }))),
      el('td', { class: 'health' }, healthBadge(n),
        isDraining(n) ? [' ', el('span', { class: 'badge badge-draining', text: 'draining' })] : null),
      el('td', { class: 'devices' }, devices(n)),
      el('td', { class: 'runs' }, runs.length === 0 ? el('span', { class: 'muted', text: '–' })
        : runs.map(id => el('a', { class: 'mono', href: `/runs/${encodeURIComponent(id)}`, text: id }))),
      el('td', { class: 'action' }, isWorker(n) ? el('button', {
        type: 'button', class: 'drain', disabled: this.pending.has(n.node),
        title: isDraining(n) ? 'let this worker start new runs again'
          : 'start no new run on this worker; the runs it trains go on',
        text: drainLabel(isDraining(n)), onclick: () => this.drain(n.node),
      }) : null),
    );
  }

  /** Drains a worker, or lets it take runs again; a refusal is said in the panel. */
  async drain(id) {
    const n = (this.nodes || []).find(x => x.node === id);
    if (!n || this.pending.has(id)) return;
    const { method, url, body } = drainRequest(n);
    this.pending.add(id);
    this.render();
    try {
      const reply = await this.request(method, url, body);
      this.showError('');
      const draining = typeof reply?.draining === 'boolean' ? reply.draining : body.drain;
      // as asked, until the next answer says otherwise
      this.nodes = (this.nodes || []).map(x => (x.node === id ? { ...x, draining } : x));
    } catch (e) {
      this.showError(drainErrorText(n, e && e.message ? e.message : String(e)));
    } finally {
      this.pending.delete(id);
      this.render();
    }
    this.onChange();
  }

  showError(text) {
    this.error.textContent = text;
    this.error.hidden = !text;
  }
}

/** What a row shows (the time of the last heartbeat only while the node is silent: it changes every poll). */
function rowKey(n, pending) {
  const { lastSeen, ...rest } = n;
  return JSON.stringify([rest, n.health === 'silent' ? lastSeen : null, pending]);
}

function healthBadge(n) {
  const health = n.health === 'silent' ? 'silent' : n.health ? String(n.health) : 'unknown';
  return el('span', { class: `badge badge-${health === 'ok' ? 'ok' : 'silent'}`, text: health,
    title: health === 'ok' ? 'heard from within the last seconds' : `last heard ${fmtTime(n.lastSeen)}` });
}

function devices(n) {
  const list = Array.isArray(n.devices) ? n.devices.filter(d => d && typeof d === 'object') : [];
  if (list.length === 0) return el('span', { class: 'muted', text: 'no devices' });
  return list.map(d => el('div', {
    class: `node-device${d.available === false ? ' unavailable' : ''}`, title: d.note || deviceText(d),
  },
  el('span', { class: 'backend', text: d.backend || '?' }), ' ',
  el('span', { class: 'name', text: d.name || '' }),
  roomText(d) ? el('span', { class: 'room', text: ` ${roomText(d)}` }) : null));
}
