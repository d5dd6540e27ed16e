import { bestEpochOf, bestText, bestTitle, hasValidation, selectionWords } from '/static/best-epoch.js';
import { eq, ok, test } from './assert.js';

test('what chose the best epoch, in words', () => {
  eq(selectionWords('validation'), 'best epoch chosen on validation accuracy');
  const test_ = selectionWords('test');
  ok(test_.startsWith('best epoch chosen on test accuracy, as the 2021 write-up did'), test_);
  ok(test_.includes('optimistic') && test_.includes('hold out a validation set for an honest one'), test_);
  eq(selectionWords(undefined), '');
  eq(selectionWords('other'), '');
});

test('the best epoch: the summary\'s, else the one the metrics mark', () => {
  eq(bestEpochOf({ bestEpoch: 3 }, [{ epoch: 2, best: true }]), 3);
  eq(bestEpochOf({ bestEpoch: null }, [{ epoch: 1, best: false }, { epoch: 2, best: true }]), 2);
  eq(bestEpochOf({}, []), null);
  eq(bestEpochOf(null), null);
});

test('a run has a validation set when its configuration or its metrics say so', () => {
  eq(hasValidation({ config: { validation: 128 } }, []), true);
  eq(hasValidation({ config: { validation: 0 } }, [{ epoch: 1, validationLoss: null }]), false);
  eq(hasValidation({}, [{ epoch: 1, validationLoss: 0.5, validationAccuracy: 0.8 }]), true);
  eq(hasValidation({}, []), false);
});

test('the best epoch and its test accuracy, and the title that says what chose it', () => {
  const run = { bestEpoch: 7, bestTestAccuracy: 0.8421, selectedBy: 'validation' };
  eq(bestText(run), 'best epoch 7 · test acc. 84.21 %');
  eq(bestText({ bestEpoch: 7 }), 'best epoch 7');
  eq(bestText({ bestEpoch: null }), '');
  eq(bestTitle(run), 'the test accuracy of epoch 7; best epoch chosen on validation accuracy');
  ok(bestTitle({ ...run, selectedBy: 'test' }).includes('as the 2021 write-up did'));
  eq(bestTitle({ bestEpoch: null, selectedBy: 'test' }), '');
});
