// The run page's map exports: the maps shown as one PNG picture (titles, maps, colour bar), drawn offscreen, and the
// addresses of the same frame's numbers (npy, CSV) in the API.
import { drawClass, drawColourBar } from './heatmap.js';
import { fmtValue, indexMapFor } from './colours.js';

/** The file name of a picture: run, kind, epoch, and the layer (numbered from 1) of a 3D grid's sheets. */
export function pictureFileName(runId, kind, epoch, layer = null) {
  const sheet = layer == null ? '' : `-layer${layer + 1}`;
  return `neuralgrid-${runId}-${kind}-epoch${epoch}${sheet}.png`;
}

/** The API's address of a frame's numbers: format 'npy' or 'csv'. */
export function frameDataUrl(runId, kind, epoch, format) {
  return `/api/runs/${encodeURIComponent(runId)}/heatmaps/${epoch}?kind=${encodeURIComponent(kind)}`
    + `&format=${encodeURIComponent(format)}`;
}

const MARGIN = 16;
const GAP = 12;
const TITLE = 30;
const LABEL = 20;
const BAR = 14;
const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';

/**
 * The layout of a picture of n maps of rows x cols cells: whole screen pixels per cell (a map of about 160 px
 * where the cells allow it, never under 1), 5 maps a row (fewer when there are fewer), and the canvas's size (at
 * least minWidth wide: the title's width).
 */
export function pictureLayout(n, rows, cols, minWidth = 480) {
  const pixel = Math.max(1, Math.floor(Math.min(160 / cols, 160 / rows)));
  const perRow = Math.max(1, Math.min(5, n));
  const w = cols * pixel, h = rows * pixel;
  const lines = Math.ceil(n / perRow);
  const width = Math.ceil(Math.max(2 * MARGIN + perRow * w + (perRow - 1) * GAP, minWidth, 480));
  const height = MARGIN + TITLE + lines * (h + LABEL + GAP) + 2 * BAR + 2 * LABEL + MARGIN;
  return { pixel, perRow, w, h, width, height };
}

/**
 * Draws the maps of a frame into a new (offscreen) canvas, as the page shows them: a title, the maps under their
 * names, and the colour bar with its ends and note. options: names (one per map), title, colours and scale (as
 * drawClass takes them), range ({min, max}: the bar's ends), note (under the bar), layer (a 3D frame's sheet).
 */
export function drawPicture(frame, { names, title, colours, scale = null, range, note = '', layer = 0 }) {
  const n = Math.min(frame.classes, names.length);
  const canvas = document.createElement('canvas');
  let ctx = canvas.getContext('2d');
  ctx.font = `600 16px ${FONT}`;
  const titleWidth = ctx.measureText(title).width + 2 * MARGIN;
  const { perRow, w, h, width, height } = pictureLayout(n, frame.rows, frame.cols, titleWidth);
  canvas.width = width;
  canvas.height = height;
  // a canvas whose size was set anew starts over: a blank picture and the default drawing state
  ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#1f2328';
  ctx.textBaseline = 'middle';
  ctx.font = `600 16px ${FONT}`;
  ctx.fillText(title, MARGIN, MARGIN + TITLE / 2 - 4);
  ctx.imageSmoothingEnabled = false;
  const map = document.createElement('canvas');
  const indexMap = indexMapFor(frame, colours, scale);
  ctx.font = `13px ${FONT}`;
  ctx.textAlign = 'center';
  for (let c = 0; c < n; c++) {
    const x = MARGIN + (c % perRow) * (w + GAP);
    const y = MARGIN + TITLE + Math.floor(c / perRow) * (h + LABEL + GAP);
    drawClass(map, frame, c, { layer, colours, scale, indexMap });
    ctx.drawImage(map, x, y, w, h);
    ctx.fillText(names[c], x + w / 2, y + h + LABEL / 2, w + GAP);
  }
  const top = MARGIN + TITLE + Math.ceil(n / perRow) * (h + LABEL + GAP);
  const bar = document.createElement('canvas');
  drawColourBar(bar, colours);
  const barWidth = Math.min(width - 2 * MARGIN, 360);
  ctx.drawImage(bar, MARGIN, top, barWidth, BAR);
  ctx.strokeStyle = '#d0d7de';
  ctx.strokeRect(MARGIN + 0.5, top + 0.5, barWidth - 1, BAR - 1);
  ctx.font = `12px ${FONT}`;
  ctx.textAlign = 'left';
  ctx.fillText(fmtValue(range.min), MARGIN, top + BAR + LABEL / 2);
  ctx.textAlign = 'right';
  ctx.fillText(fmtValue(range.max), MARGIN + barWidth, top + BAR + LABEL / 2);
  ctx.textAlign = 'left';
  ctx.fillStyle = '#57606a';
  const said = [colours.centred ? 'white = 0' : '', note].filter(Boolean).join(' · ');
  if (said) ctx.fillText(said, MARGIN, top + BAR + LABEL * 1.5, width - 2 * MARGIN);
  canvas.dataset.maps = String(n);
  return canvas;
}

/** Saves a canvas as a PNG file through a temporary link; resolves with the blob once the download was asked for. */
export function downloadPicture(canvas, fileName) {
  return new Promise((resolve, reject) => {
    canvas.toBlob(blob => {
      if (!blob) {
        reject(new Error('the browser could not make the PNG'));
        return;
      }
      downloadBlob(blob, fileName);
      resolve(blob);
    }, 'image/png');
  });
}

/** Saves a blob as a file through a temporary link: every download the pages make goes this way. */
export function downloadBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // the download has the blob by the next task; the address is not needed after that
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
