// The probe panel's image picker: the run's test images of one class as a paged strip of thumbnails, a drawing pad,
// and a drop zone (or file input) for a picture. Each pick calls onPick(source) at once (a drawing when its stroke
// ends), with source one of {kind: 'test', index, label}, {kind: 'drawn', pixels} or {kind: 'file', file, name}.
import { el, getJson } from './common.js';
import { DrawPad } from './draw-pad.js';
import { LatestCall } from './latest-call.js';
import { IMAGE_SIDE, IMAGE_SIZE, testImageLabel, thumbnailPage } from './probe.js';

/** Thumbnails per page of the strip. */
export const PAGE_SIZE = 24;

/** Draws a test image (784 bytes 0..255, row by row) in grey on a 28x28 canvas. */
export function drawGrey(canvas, bytes, scale = 1) {
  canvas.width = IMAGE_SIDE;
  canvas.height = IMAGE_SIDE;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(IMAGE_SIDE, IMAGE_SIDE);
  for (let i = 0; i < IMAGE_SIZE; i++) {
    const g = Math.max(0, Math.min(255, Math.round(bytes[i] * scale)));
    image.data.set([g, g, g, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

export class ProbePicker {
  /** container: the element to fill; classNames in label order; onPick(source): a new image to probe. */
  constructor(container, runId, classNames, { onPick = () => {} } = {}) {
    this.runId = runId;
    this.classNames = classNames;
    this.onPick = onPick;
    this.from = 0;
    this.total = null;
    this.cls = 0;
    this.pages = new LatestCall(q => getJson(`/api/runs/${encodeURIComponent(runId)}/test-images?class=${q.cls}`
      + `&from=${q.from}&count=${PAGE_SIZE}`), {
      delayMs: 0,
      onAnswer: answer => this.showPage(answer),
      onError: e => {
        this.say(e.message || String(e));
        this.updatePager();
      },
    });
    this.classSelect = el('select', { id: 'probe-test-class', 'aria-label': 'class of the test images shown',
      onchange: () => this.load(Number(this.classSelect.value), 0) },
    classNames.map((name, c) => el('option', { value: String(c), text: `${c} · ${name}` })));
    this.prev = el('button', { type: 'button', class: 'icon', id: 'probe-prev', 'aria-label': 'previous test images',
      title: 'previous test images', text: '‹', onclick: () => this.load(this.cls, this.from - PAGE_SIZE) });
    this.next = el('button', { type: 'button', class: 'icon', id: 'probe-next', 'aria-label': 'next test images',
      title: 'next test images', text: '›', onclick: () => this.load(this.cls, this.from + PAGE_SIZE) });
    this.pageLabel = el('span', { class: 'probe-page num', id: 'probe-page' });
    this.strip = el('div', { class: 'probe-thumbs', id: 'probe-thumbs', role: 'group',
      'aria-label': 'test images: pick one to probe' });
    this.message = el('p', { class: 'probe-picker-note', id: 'probe-picker-note', role: 'status', hidden: true });

    const pad = el('canvas', { class: 'probe-pad', id: 'probe-pad' });
    this.pad = new DrawPad(pad, { onStroke: pixels => this.onPick({ kind: 'drawn', pixels }) });
    const clear = el('button', { type: 'button', id: 'probe-clear', text: 'Clear',
      title: 'clear the drawing pad', onclick: () => { this.pad.clear(); pad.focus(); } });

    this.fileInput = el('input', { type: 'file', id: 'probe-file', accept: 'image/png,image/jpeg,image/gif,image/bmp',
      class: 'probe-file-input', onchange: () => this.pickFile(this.fileInput.files && this.fileInput.files[0]) });
    const drop = el('label', { class: 'probe-drop', id: 'probe-drop', for: 'probe-file',
      title: 'a picture is scaled to 28×28 grey pixels; a light background is inverted to dark' },
    el('span', { text: 'Drop a PNG or JPEG here' }), el('span', { class: 'muted', text: 'or choose a file' }),
    this.fileInput);
    drop.addEventListener('dragover', e => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', e => {
      e.preventDefault();
      drop.classList.remove('over');
      this.pickFile(e.dataTransfer && e.dataTransfer.files[0]);
    });

    container.append(
      el('div', { class: 'probe-pick-tests' },
        el('div', { class: 'probe-pick-head' }, el('h3', { text: 'Test images' }),
          el('label', { class: 'control' }, 'class ', this.classSelect),
          el('span', { class: 'action-group', role: 'group', 'aria-label': 'pages of test images' },
            this.prev, this.next), this.pageLabel),
        this.strip, this.message),
      el('div', { class: 'probe-pick-draw' },
        el('div', { class: 'probe-pick-head' }, el('h3', { text: 'Draw' }), clear), pad),
      el('div', { class: 'probe-pick-file' }, el('div', { class: 'probe-pick-head' }, el('h3', { text: 'Picture' })),
        drop));
    this.updatePager();
  }

  /** Fetches a page of a class's test images (a later request wins over an earlier one still on its way). */
  load(cls, from) {
    this.cls = cls;
    this.from = Math.max(0, from);
    if (cls !== this.shownClass) this.total = null;
    this.updatePager(true);
    this.pages.request({ cls, from: this.from }, true);
  }

  showPage(answer) {
    this.say('');
    this.total = Number.isInteger(answer.total) ? answer.total : 0;
    this.shownClass = this.cls;
    this.strip.textContent = '';
    for (const s of answer.samples || []) {
      const canvas = el('canvas', { class: 'probe-thumb-image', 'aria-hidden': 'true' });
      drawGrey(canvas, s.pixels);
      const name = testImageLabel(s.index, s.label, this.classNames);
      const button = el('button', { type: 'button', class: 'probe-thumb', title: name, 'aria-label': `probe ${name}`,
        dataset: { index: String(s.index), label: String(s.label) },
        onclick: () => this.pickTest(s, button) }, canvas);
      this.strip.append(button);
    }
    if (this.total === 0) this.say(`no test images of class ${this.classNames[this.cls] ?? this.cls}`);
    this.updatePager();
  }

  pickTest(sample, button) {
    this.strip.querySelectorAll('.probe-thumb.picked').forEach(b => b.classList.remove('picked'));
    button.classList.add('picked');
    this.onPick({ kind: 'test', index: sample.index, label: sample.label });
  }

  pickFile(file) {
    if (!file) return;
    this.fileInput.value = '';
    this.onPick({ kind: 'file', file, name: file.name });
  }

  updatePager(loading = false) {
    const page = thumbnailPage(this.from, PAGE_SIZE, this.total);
    this.prev.disabled = loading || !page.hasPrevious;
    this.next.disabled = loading || !page.hasNext;
    this.pageLabel.textContent = loading ? 'loading…' : page.shown;
  }

  /** A note under the thumbnails (the server's reason when it has none to show); '' hides it. */
  say(text) {
    this.message.textContent = text;
    this.message.hidden = !text;
  }
}
