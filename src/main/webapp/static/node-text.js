// The words for the cluster's nodes (GET /api/nodes) and for where a run trains: pure functions, no DOM. The nodes
// panel (nodes-panel.js) and the run page's header (run-header.js) draw with them.

/** The first 8 characters of a node id (the whole id goes in a title). */
export function shortId(id) {
  return typeof id === 'string' ? id.slice(0, 8) : '';
}

/** Bytes in GiB: "7.8 GiB" below 10, "141 GiB" above; "" when unknown. */
export function memoryText(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes <= 0) return '';
  const gib = bytes / 2 ** 30;
  return gib < 10 ? `${gib.toFixed(1)} GiB` : `${Math.round(gib)} GiB`;
}

/** What a device holds at once: "GPU, 139 GiB" or "CPU, 15.6 GiB, 16 cores" (what a node did not say left out). */
export function roomText(d) {
  if (!d || typeof d !== 'object') return '';
  const cores = Number.isInteger(d.cores) && d.cores > 0 ? `${d.cores} core${d.cores === 1 ? '' : 's'}` : '';
  return [typeof d.gpu === 'boolean' ? (d.gpu ? 'GPU' : 'CPU') : '', memoryText(d.memoryBytes), cores]
    .filter(Boolean).join(', ');
}

/** A device on one line: "opencl:0 NVIDIA H200 (GPU, 139 GiB)". */
export function deviceText(d) {
  if (!d || typeof d !== 'object') return '';
  const room = roomText(d);
  return [d.backend || '?', d.name || '', room ? `(${room})` : ''].filter(Boolean).join(' ');
}

/** The runs a node trains now (none when it does not say: an older node, or the dashboard). */
export function nodeRuns(n) {
  return Array.isArray(n?.runs) ? n.runs.filter(r => typeof r === 'string' && r) : [];
}

/** Whether a node takes no new runs (false when it does not say). */
export function isDraining(n) {
  return n?.draining === true;
}

export function isWorker(n) {
  return n?.role === 'worker';
}

/** The nodes of a GET /api/nodes answer ({"nodes": [...]}, or the list itself). */
export function nodesOf(answer) {
  const list = Array.isArray(answer?.nodes) ? answer.nodes : Array.isArray(answer) ? answer : [];
  return list.filter(n => n && typeof n === 'object');
}

/** Whether the server is the only node: it trains its runs itself, and the panel says so in a line. */
export function isSingleNode(nodes) {
  return nodes.length === 1 && nodes[0].role !== 'worker';
}

/** That line: "This server trains its runs itself (one node: HOST)." */
export function singleNodeText(n) {
  const host = n && n.host ? `: ${n.host}` : '';
  return `This server trains its runs itself (one node${host}).`;
}

/** "2 nodes, 1 worker draining" and so on, for the panel's note. */
export function nodesCountText(nodes) {
  if (nodes.length === 0) return '';
  const workers = nodes.filter(isWorker);
  const draining = workers.filter(isDraining).length;
  const silent = nodes.filter(n => n.health === 'silent').length;
  return [`${nodes.length} node${nodes.length === 1 ? '' : 's'}`,
    `${workers.length} worker${workers.length === 1 ? '' : 's'}`,
    silent ? `${silent} silent` : '', draining ? `${draining} draining` : ''].filter(Boolean).join(', ');
}

/** The drain button's label: what a click does. */
export function drainLabel(draining) {
  return draining ? 'Take runs again' : 'Drain';
}

/** What the button asks: POST /api/nodes/{node}/drain with {"drain": true} to drain, {"drain": false} to undo. */
export function drainRequest(n) {
  return { method: 'POST', url: `/api/nodes/${encodeURIComponent(n.node)}/drain`, body: { drain: !isDraining(n) } };
}

/** What the panel says when the server refused it. */
export function drainErrorText(n, message) {
  const who = n.host || shortId(n.node) || 'the node';
  return `${isDraining(n) ? `Could not take runs again on ${who}` : `Could not drain ${who}`}: ${message}`;
}

/** A run's node as its summary names it ({"id", "host"}): "HOST (id8)"; "" when there is none. */
export function trainedOnText(node) {
  if (!node || typeof node !== 'object') return '';
  const id = shortId(node.id);
  const host = typeof node.host === 'string' ? node.host : '';
  if (host && id) return `${host} (${id})`;
  return host || id;
}
