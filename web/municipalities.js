// The region's municipalities, loaded once for the place search and the coverage view, with
// their geometry worked out here: seat, bounding box, and which one a point falls in.
import { fold } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';
import { state } from './page-state.js';

/** Loads the municipalities once; `onLoaded()` then lets the views that use them redraw (they
 * sit above this module). */
export async function loadMunicipalities(onLoaded = () => {}) {
  try {
    const fc = await api.municipalities();
    state.municipalities = fc.features.map((f) => ({
      code: f.properties.code,
      name: f.properties.name,
      folded: fold(f.properties.name),
      seatFolded: fold(typeof f.properties.seat === 'string' ? f.properties.seat : f.properties.seat?.name),
      point: seatOf(f),
      seatFromApi: Number.isFinite(f.properties.seat?.lon) || Number.isFinite(f.properties.seat_lon),
      bbox: bboxOf(f.geometry),
      geometry: f.geometry,
      props: f.properties,
    })).sort((a, b) => a.name.localeCompare(b.name, 'pt'));
    replace($('municipality-names'), state.municipalities.map((m) => h('option', { value: m.name })));
    onLoaded();
  } catch (e) {
    console.warn('municipalities', e);
  }
}

/** The seat when the API gives its position; otherwise the centroid of the largest polygon
 * (the search prefers the seat from the map's label points when the map has loaded). */
function seatOf(f) {
  const p = f.properties;
  if (Number.isFinite(p.seat?.lon) && Number.isFinite(p.seat?.lat)) return [p.seat.lon, p.seat.lat];
  if (Number.isFinite(p.seat_lon) && Number.isFinite(p.seat_lat)) return [p.seat_lon, p.seat_lat];
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  let best = null;
  let bestArea = -1;
  for (const poly of polys) {
    const ring = poly[0];
    let a = 0; let cx = 0; let cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      a += cross;
      cx += (ring[j][0] + ring[i][0]) * cross;
      cy += (ring[j][1] + ring[i][1]) * cross;
    }
    if (Math.abs(a) > bestArea && a !== 0) {
      bestArea = Math.abs(a);
      best = [cx / (3 * a), cy / (3 * a)];
    }
  }
  return best;
}

/** The municipality a point falls in ({code, name}) or null (ray casting on the API's
 * boundaries; holes respected). */
export function municipalityAt(lon, lat) {
  const inRing = (ring) => {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  for (const m of state.municipalities) {
    const b = m.bbox;
    if (!m.geometry || lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) continue;
    const polys = m.geometry.type === 'Polygon' ? [m.geometry.coordinates] : m.geometry.coordinates;
    if (polys.some((poly) => inRing(poly[0]) && !poly.slice(1).some(inRing))) return { code: m.code, name: m.name };
  }
  return null;
}

function bboxOf(geometry) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
      b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
    } else c.forEach(walk);
  };
  walk(geometry.coordinates);
  return b;
}
