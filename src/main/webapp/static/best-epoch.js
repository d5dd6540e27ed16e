// The best epoch of a run and what chose it, in the words every page uses (the run page's stats and epochs table,
// the runs table's title, the comparison's summary table). Pure: no DOM.
import { fmtPct } from './common.js';

const ON_VALIDATION = 'best epoch chosen on validation accuracy';
const ON_TEST = 'best epoch chosen on test accuracy, as the 2021 write-up did: an optimistic estimate; '
  + 'hold out a validation set for an honest one';

/** What chose the best epoch (the summary's selectedBy: "validation" or "test"), in words; "" when unknown. */
export function selectionWords(selectedBy) {
  if (selectedBy === 'validation') return ON_VALIDATION;
  if (selectedBy === 'test') return ON_TEST;
  return '';
}

/** The best epoch: the summary's, else the one the metrics mark ("best": true); null before the first. */
export function bestEpochOf(run, epochs = []) {
  if (run && Number.isInteger(run.bestEpoch)) return run.bestEpoch;
  const marked = epochs.find(m => m && m.best === true);
  return marked ? marked.epoch : null;
}

/** Whether a run holds out a validation set: its configuration says so, or an epoch has validation metrics. */
export function hasValidation(run, epochs = []) {
  const config = run && run.config;
  if (config && Number(config.validation) > 0) return true;
  return epochs.some(m => Number.isFinite(m.validationLoss) || Number.isFinite(m.validationAccuracy));
}

/** "best epoch 12 · test acc. 84.20 %", or "" before the first epoch. */
export function bestText(run, epochs = []) {
  const epoch = bestEpochOf(run, epochs);
  if (epoch == null) return '';
  const acc = run && Number.isFinite(run.bestTestAccuracy) ? ` · test acc. ${fmtPct(run.bestTestAccuracy)}` : '';
  return `best epoch ${epoch}${acc}`;
}

/** A title for a best test accuracy: "epoch 12; best epoch chosen on validation accuracy"; "" before the first. */
export function bestTitle(run, epochs = []) {
  const epoch = bestEpochOf(run, epochs);
  if (epoch == null) return '';
  const words = selectionWords(run && run.selectedBy);
  return `the test accuracy of epoch ${epoch}${words ? `; ${words}` : ''}`;
}
