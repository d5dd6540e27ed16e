// The probe panel's exports: the probe view as one PNG picture (the image, the probabilities, the activation grid
// and the saliency maps, each under a title and over its colour bar), drawn offscreen, and the answer as JSON.
import { COLOUR_MAPS, fmtValue, shownRange } from './colours.js';
import { drawClass, drawColourBar } from './heatmap.js';
import { downloadBlob, downloadPicture } from './map-export.js';
import { GREY } from './probe.js';

const MARGIN = 18;
const BOX = 168;
const GAP = 28;
const TITLE = 22;
const BAR = 10;
const PROBS = 300;
const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
const INK = '#1f2328';
const MUTED = '#57606a';

/** The screen size of a rows x cols map fitted into a box of side box: whole pixels per cell where they fit. */
export function fitMap(rows, cols, box = BOX) {
  const exact = Math.min(box / cols, box / rows);
  const pixel = exact >= 1 ? Math.floor(exact) : exact;
  return { w: Math.max(1, Math.round(cols * pixel)), h: Math.max(1, Math.round(rows * pixel)) };
}

/** Draws one map (a quantised frame) with its title above and, for a colour map, its bar and ends below. */
function drawMap(ctx, x, y, title, frame, { colours, layer = 0, sheets = false, bar = true }) {
  ctx.fillStyle = INK;
  ctx.font = `600 13px ${FONT}`;
  ctx.textAlign = 'left';
  ctx.fillText(title, x, y + TITLE / 2, BOX + GAP - 4);
  const map = document.createElement('canvas');
  drawClass(map, frame, 0, { layer, sheets, colours });
  const { w, h } = fitMap(frame.rows, frame.cols);
  ctx.drawImage(map, x + (BOX - w) / 2, y + TITLE, w, h);
  if (!bar) return;
  const top = y + TITLE + BOX + 6;
  const strip = document.createElement('canvas');
  drawColourBar(strip, colours);
  ctx.drawImage(strip, x, top, BOX, BAR);
  const range = shownRange(colours, frame.min, frame.max);
  ctx.font = `11px ${FONT}`;
  ctx.fillStyle = MUTED;
  ctx.fillText(fmtValue(range.min), x, top + BAR + 9);
  ctx.textAlign = 'right';
  ctx.fillText(fmtValue(range.max), x + BOX, top + BAR + 9);
  ctx.textAlign = 'left';
}

/** The ten probabilities as labelled bars, the predicted class and the true label marked. */
function drawProbabilities(ctx, x, y, answer, classNames) {
  ctx.fillStyle = INK;
  ctx.font = `600 13px ${FONT}`;
  ctx.fillText('Class probabilities', x, y + TITLE / 2);
  const line = BOX / 10;
  classNames.forEach((name, c) => {
    const v = Math.max(0, Math.min(1, Number(answer.probabilities[c]) || 0));
    const top = y + TITLE + c * line;
    ctx.font = `${c === answer.predicted ? '600 ' : ''}11px ${FONT}`;
    ctx.fillStyle = INK;
    ctx.fillText(name, x, top + line / 2, 86);
    ctx.fillStyle = '#eceef2';
    ctx.fillRect(x + 90, top + 3, 140, line - 6);
    ctx.fillStyle = c === answer.predicted ? '#1f5fd1' : '#8a93a3';
    ctx.fillRect(x + 90, top + 3, 140 * v, line - 6);
    ctx.fillStyle = INK;
    const marks = [c === answer.predicted ? '◀' : '', c === answer.label ? '✓' : ''].join('');
    ctx.fillText(`${(v * 100).toFixed(1)} % ${marks}`, x + 236, top + line / 2, PROBS - 236);
  });
}

/**
 * Draws the probe view into a new canvas. view: {answer, maps (answerMaps), classNames, layer, colours (the
 * activations'), title, subtitle}.
 */
export function drawProbePicture({ answer, maps, classNames, layer = 0, colours = COLOUR_MAPS.viridis, title,
  subtitle = '' }) {
  const width = 2 * MARGIN + BOX + GAP + PROBS + GAP + BOX;
  const row = TITLE + BOX + BAR + 24;
  const height = MARGIN + 44 + row + GAP + row + 16 + MARGIN;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = false;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = INK;
  ctx.font = `600 16px ${FONT}`;
  ctx.fillText(title, MARGIN, MARGIN + 8, width - 2 * MARGIN);
  ctx.font = `12px ${FONT}`;
  ctx.fillStyle = MUTED;
  ctx.fillText(subtitle, MARGIN, MARGIN + 28, width - 2 * MARGIN);
  const { sheets, layers } = maps.grid;
  const sheet = sheets ? ` (layer ${layer + 1} of ${layers})` : '';
  let y = MARGIN + 44;
  drawMap(ctx, MARGIN, y, 'As the model sees it', maps.image, { colours: GREY, bar: false });
  drawProbabilities(ctx, MARGIN + BOX + GAP, y, answer, classNames);
  drawMap(ctx, MARGIN + BOX + GAP + PROBS + GAP, y, `Activations${sheet}`, maps.activations,
    { colours, layer, sheets });
  y += row + GAP;
  const traced = classNames[answer.class] ?? `class ${answer.class}`;
  ctx.fillStyle = INK;
  ctx.font = `600 14px ${FONT}`;
  ctx.fillText(`Trace the paths of ${traced}: blue lowers its score, red raises it`, MARGIN, y - GAP / 2 + 4);
  drawMap(ctx, MARGIN, y, 'Image', maps.image, { colours: GREY, bar: false });
  drawMap(ctx, MARGIN + BOX + GAP, y, 'Saliency per pixel', maps.pixelSaliency, { colours: COLOUR_MAPS.diverging });
  drawMap(ctx, MARGIN + BOX + GAP + PROBS + GAP, y, `Saliency per cell${sheet}`, maps.cellSaliency,
    { colours: COLOUR_MAPS.diverging, layer, sheets });
  canvas.dataset.class = String(answer.class);
  return canvas;
}

/** Saves the probe view as a PNG file. */
export function downloadProbePicture(view, fileName) {
  return downloadPicture(drawProbePicture(view), fileName);
}

/** Saves an answer as a JSON file. */
export function downloadJson(value, fileName) {
  downloadBlob(new Blob([JSON.stringify(value, null, 1)], { type: 'application/json' }), fileName);
}
