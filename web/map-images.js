// The map's own symbols, drawn on a canvas (the styles have no sprite): the no-places hatch,
// the results' numbered badges, the what-if's site diamond and closed-service cross.

/** A diagonal hatch for municipalities with no places (the styles have no sprite). */
export function hatch() {
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = (x + y) % size < 2;
      const i = (y * size + x) * 4;
      data.set(on ? [40, 40, 40, 230] : [255, 255, 255, 90], i);
    }
  }
  return { width: size, height: size, data };
}

/** A rounded square for the numbered results (squares, so they do not look like the round
 * clusters), drawn at twice the size for sharp screens. */
export function badge(side, fill, stroke, strokeWidth) {
  const ratio = 2;
  const size = side * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  const w = strokeWidth * ratio;
  const r = size * 0.22;
  ctx.beginPath();
  if (ctx.roundRect) ctx.roundRect(w / 2, w / 2, size - w, size - w, r);
  else ctx.rect(w / 2, w / 2, size - w, size - w);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = w;
  ctx.strokeStyle = stroke;
  ctx.stroke();
  return { image: ctx.getImageData(0, 0, size, size), pixelRatio: ratio };
}

/** A diamond (a square on its corner) for the hypothetical sites of a what-if scenario. */
export function diamond(side, fill, stroke) {
  const ratio = 2;
  const size = side * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  const m = 3 * ratio;
  ctx.beginPath();
  ctx.moveTo(size / 2, m);
  ctx.lineTo(size - m, size / 2);
  ctx.lineTo(size / 2, size - m);
  ctx.lineTo(m, size / 2);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = 2.5 * ratio;
  ctx.strokeStyle = stroke;
  ctx.stroke();
  ctx.lineWidth = 1 * ratio;
  ctx.strokeStyle = '#000000';
  ctx.stroke();
  return { image: ctx.getImageData(0, 0, size, size), pixelRatio: ratio };
}

/** A white disc with a thick red cross, over a service whose closing is simulated. */
export function cross(side) {
  const ratio = 2;
  const size = side * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  ctx.beginPath();
  ctx.arc(size / 2, size / 2, size / 2 - ratio * 2, 0, 2 * Math.PI);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.lineWidth = 2 * ratio;
  ctx.strokeStyle = '#000000';
  ctx.stroke();
  const a = size * 0.3;
  ctx.beginPath();
  ctx.moveTo(a, a);
  ctx.lineTo(size - a, size - a);
  ctx.moveTo(size - a, a);
  ctx.lineTo(a, size - a);
  ctx.lineWidth = 4 * ratio;
  ctx.lineCap = 'round';
  ctx.strokeStyle = '#b00020';
  ctx.stroke();
  return { image: ctx.getImageData(0, 0, size, size), pixelRatio: ratio };
}
