// A sweep as GET /api/sweeps/{id} answers it, and field descriptors as the page data holds them (a part of
// RunConfig.FIELDS), for the sweep page's tests.

export const SWEEP_FIELDS = [
  { name: 'kernel', label: 'Kernel k', kind: 'integer' },
  { name: 'activation', label: 'Activation', kind: 'choice', choices: [{ id: 'sin' }, { id: 'relu' }] },
  { name: 'lr', label: 'Learning rate', kind: 'number', logScale: true },
  { name: 'weightDecay', label: 'Weight decay', kind: 'number', logScale: true },
  { name: 'gain', label: 'Init gain', kind: 'number' },
];

/** A point of kernel × lr with its runs' ids and aggregates (accuracies 0..1 or null). */
export function point(kernel, lr, { best = null, bestStd = null, final = null, finalStd = null, finished = 0,
  runs = 2, seconds = null } = {}) {
  const label = `kernel=${kernel} lr=${lr}`;
  return {
    label, point: { kernel, lr },
    runs: Array.from({ length: runs }, (_, i) => `k${kernel}l${String(lr).replace(/\W/g, '')}s${i}`),
    finished, bestTestMean: best, bestTestStd: bestStd, finalTestMean: final, finalTestStd: finalStd,
    secondsMean: seconds,
  };
}

export function sweepReply(points, extra = {}) {
  return {
    id: 'abcdefabcdef', name: 'kernels', status: 'running', fields: ['kernel', 'lr'], seeds: 2, mode: 'grid',
    counts: { running: 1, queued: 2, completed: 1 }, progress: 0.4, created: '2026-01-02T03:04:05Z',
    spec: { name: 'kernels', base: {}, sweep: { kernel: [3, 5], lr: '1e-4..1e-2' }, seeds: 2, mode: 'grid' },
    runs: points.flatMap(p => p.runs.map((id, i) => ({ id, name: `${p.label} seed ${i}`, status: 'queued',
      epoch: 0, epochs: 3, seed: i, sweep: 'abcdefabcdef', point: p.point, sharing: 0 }))),
    points,
    ...extra,
  };
}
