import {
  deviceText, drainErrorText, drainLabel, drainRequest, isDraining, isSingleNode, memoryText, nodeRuns,
  nodesCountText, nodesOf, roomText, shortId, singleNodeText, trainedOnText,
} from '/static/node-text.js';
import { deepEq, eq, test } from './assert.js';

const GiB = 2 ** 30;

test('a node id shortened to 8 characters', () => {
  eq(shortId('3f2a9c1b-77de-4a51-9f0e-0123456789ab'), '3f2a9c1b');
  eq(shortId('abc'), 'abc');
  eq(shortId(null), '');
  eq(shortId(undefined), '');
});

test('memory in GiB', () => {
  eq(memoryText(16 * GiB), '16 GiB');
  eq(memoryText(7.8 * GiB), '7.8 GiB');
  eq(memoryText(150754820096), '140 GiB');
  eq(memoryText(512 * 2 ** 20), '0.5 GiB');
  eq(memoryText(0), '');
  eq(memoryText(-1), '');
  eq(memoryText(undefined), '');
  eq(memoryText(NaN), '');
});

test('what a device holds: GPU by memory, CPU by memory and cores', () => {
  eq(roomText({ gpu: true, memoryBytes: 24 * GiB, cores: 0 }), 'GPU, 24 GiB');
  eq(roomText({ gpu: false, memoryBytes: 4 * GiB, cores: 16 }), 'CPU, 4.0 GiB, 16 cores');
  eq(roomText({ gpu: false, memoryBytes: 4 * GiB, cores: 1 }), 'CPU, 4.0 GiB, 1 core');
  eq(roomText({ backend: 'java', name: 'Java' }), '', 'an older node says nothing of it');
  eq(roomText(null), '');
});

test('a device on one line', () => {
  eq(deviceText({ backend: 'opencl:0', name: 'NVIDIA H200', gpu: true, memoryBytes: 140 * GiB, cores: 0 }),
    'opencl:0 NVIDIA H200 (GPU, 140 GiB)');
  eq(deviceText({ backend: 'java', name: 'Java (CPU)', gpu: false, memoryBytes: 8 * GiB, cores: 4 }),
    'java Java (CPU) (CPU, 8.0 GiB, 4 cores)');
  eq(deviceText({ backend: 'java' }), 'java');
  eq(deviceText({}), '?');
  eq(deviceText(null), '');
});

test('runs and draining, when a node does not say: none and no', () => {
  deepEq(nodeRuns({ runs: ['a1b2c3d4e5f6', 'b'] }), ['a1b2c3d4e5f6', 'b']);
  deepEq(nodeRuns({}), []);
  deepEq(nodeRuns({ runs: null }), []);
  deepEq(nodeRuns({ runs: ['x', 3, '', null] }), ['x']);
  deepEq(nodeRuns(undefined), []);
  eq(isDraining({ draining: true }), true);
  eq(isDraining({ draining: false }), false);
  eq(isDraining({}), false);
  eq(isDraining(null), false);
});

test('the nodes of an answer', () => {
  deepEq(nodesOf({ nodes: [{ node: 'a' }, null, 'x'] }), [{ node: 'a' }]);
  deepEq(nodesOf([{ node: 'b' }]), [{ node: 'b' }]);
  deepEq(nodesOf(null), []);
  deepEq(nodesOf({}), []);
});

test('one node: the server alone trains its runs', () => {
  const dashboard = { node: 'd', role: 'dashboard', host: '127.0.0.1', self: true };
  eq(isSingleNode([dashboard]), true);
  eq(isSingleNode([dashboard, { node: 'w', role: 'worker' }]), false);
  eq(isSingleNode([{ node: 'w', role: 'worker' }]), false, 'a worker alone is listed as such');
  eq(isSingleNode([]), false);
  eq(singleNodeText(dashboard), 'This server trains its runs itself (one node: 127.0.0.1).');
  eq(singleNodeText({}), 'This server trains its runs itself (one node).');
});

test('the panel note counts nodes, workers, the silent and the draining', () => {
  eq(nodesCountText([]), '');
  eq(nodesCountText([{ role: 'dashboard', health: 'ok' }, { role: 'worker', health: 'ok' }]), '2 nodes, 1 worker');
  eq(nodesCountText([{ role: 'dashboard', health: 'ok' }, { role: 'worker', health: 'silent', draining: true },
    { role: 'worker', health: 'ok', draining: true }]), '3 nodes, 2 workers, 1 silent, 2 draining');
});

test('the drain button: its label and its request', () => {
  eq(drainLabel(false), 'Drain');
  eq(drainLabel(true), 'Take runs again');
  deepEq(drainRequest({ node: 'w 1/x', draining: false }),
    { method: 'POST', url: '/api/nodes/w%201%2Fx/drain', body: { drain: true } });
  deepEq(drainRequest({ node: 'abc', draining: true }),
    { method: 'POST', url: '/api/nodes/abc/drain', body: { drain: false } });
  deepEq(drainRequest({ node: 'abc' }).body, { drain: true }, 'not saying is not draining');
});

test('a refused drain names the node and what the server said', () => {
  eq(drainErrorText({ node: '3f2a9c1b-77de', host: '10.0.0.7' }, 'no such node'),
    'Could not drain 10.0.0.7: no such node');
  eq(drainErrorText({ node: '3f2a9c1b-77de', draining: true }, 'HTTP 500'),
    'Could not take runs again on 3f2a9c1b: HTTP 500');
});

test('the node a run trains on: host and short id, nothing without one', () => {
  eq(trainedOnText({ id: '3f2a9c1b-77de-4a51', host: 'gpu-box' }), 'gpu-box (3f2a9c1b)');
  eq(trainedOnText({ id: '3f2a9c1b-77de-4a51' }), '3f2a9c1b');
  eq(trainedOnText({ host: 'gpu-box' }), 'gpu-box');
  eq(trainedOnText(null), '');
  eq(trainedOnText(undefined), '');
  eq(trainedOnText({}), '');
  eq(trainedOnText('gpu-box'), '');
});
