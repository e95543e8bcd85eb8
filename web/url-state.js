// The page's address and the browser's memory: the language to start in (?lang=, else the
// last one chosen), the base map's switch, the view in the hash (#coverage, #distance, #plan,
// #professionals, #trends, or their Portuguese), the text size (remembered on this browser), and
// a shared link's search and choice (place, lon, lat, type, group, subarea, municipality, k,
// id…, note, size: the same parameters as /find and /sheet).
import { state } from './page-state.js';

/** The text sizes, and how many services one sheet takes at each (as the server says). */
export const SIZES = ['normal', 'large', 'larger'];
export const MOST = { normal: 4, large: 3, larger: 2 };

let size = 'normal';

/** The text size in use. */
export function textSize() {
  return size;
}

/** Sets the text size on the page (and remembers it on this browser when `save`). */
export function setTextSize(s, { save = true } = {}) {
  size = SIZES.includes(s) ? s : 'normal';
  document.documentElement.dataset.size = size;
  if (save) {
    try { localStorage.setItem('bussola.size', size); } catch { /* private mode */ }
  }
  return size;
}

/** The text size asked for in the address, else the one saved on this browser. */
export function startSize() {
  const params = new URLSearchParams(location.search);
  let saved = null;
  try { saved = localStorage.getItem('bussola.size'); } catch { /* storage blocked */ }
  return params.get('size') || saved || 'normal';
}

const LINK_KEYS = ['place', 'lon', 'lat', 'type', 'group', 'subarea', 'municipality', 'k', 'id', 'note', 'size'];

/** A shared link's search and choice, when the address has one (a point): {search, ids, note}. */
export function linkFromUrl() {
  const p = new URLSearchParams(location.search);
  const lon = Number(p.get('lon'));
  const lat = Number(p.get('lat'));
  if (!p.has('lon') || !p.has('lat') || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  const k = Number(p.get('k'));
  return {
    place: p.get('place') || '',
    lon, lat,
    type: p.get('type') || '', group: p.get('group') || '', subarea: p.get('subarea') || '',
    municipality: p.get('municipality') || '',
    k: Number.isInteger(k) && k >= 1 && k <= 100 ? k : 10,
    ids: p.getAll('id').filter(Boolean),
    note: p.get('note') || '',
  };
}

/** The address without a shared link's parameters (once the page has taken them in). */
export function clearLinkFromUrl() {
  const p = new URLSearchParams(location.search);
  for (const k of LINK_KEYS) p.delete(k);
  const q = p.toString();
  history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}${location.hash}`);
}

/** The search into the address (place, lon, lat, filters, municipality, k; not the ticks or the
 * note, which are only shared on purpose), without a history entry: a reload, a bookmark or an
 * address copied from the browser's bar reopens the same search. Not a search from "my
 * location". */
export function writeSearchToUrl(s) {
  const p = new URLSearchParams(location.search);
  for (const k of LINK_KEYS) p.delete(k);
  // A search from the person's own location stays out of the browser's history (a computer
  // at a parish office is shared).
  if (s && s.how !== 'location') {
    if (s.place) p.set('place', s.place);
    p.set('lon', s.lon);
    p.set('lat', s.lat);
    for (const k of ['type', 'group', 'subarea', 'municipality']) if (s[k]) p.set(k, s[k]);
    if (s.k && s.k !== 10) p.set('k', s.k);
  }
  const q = p.toString();
  history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}${location.hash}`);
}

/** The language asked for in the address, else the one saved on this browser, else 'pt'. */
export function startLang() {
  const params = new URLSearchParams(location.search);
  let saved = null;
  try { saved = localStorage.getItem('bussola.lang'); } catch { /* storage blocked */ }
  return params.get('lang') || saved || 'pt';
}

/** Remembers the language chosen on this browser. */
export function saveLang(code) {
  try { localStorage.setItem('bussola.lang', code); } catch { /* private mode */ }
}

/** Whether the base map shows: yes unless it was switched off on this browser. */
export function startBase() {
  try { return localStorage.getItem('bussola.basemap') !== 'off'; } catch { return true; }
}

/** Remembers the base map's switch on this browser. */
export function saveBase(on) {
  try { localStorage.setItem('bussola.basemap', on ? 'on' : 'off'); } catch { /* private mode */ }
}

/** The view (and the coverage view's measure) the hash asks for, into the state. */
export function viewFromHash() {
  const hash = location.hash.replace('#', '');
  if (['coverage', 'cobertura', 'distance', 'distancia'].includes(hash)) state.view = 'coverage';
  if (['distance', 'distancia'].includes(hash)) state.measure = 'distance';
  if (['plan', 'simular'].includes(hash)) state.view = 'plan';
  if (['professionals', 'profissionais'].includes(hash)) state.view = 'pro';
  if (['trends', 'evolucao'].includes(hash)) state.view = 'trends';
}

/** The view (and the coverage view's measure) into the hash, without a history entry. */
export function writeViewHash(view, measure) {
  const hash = view === 'coverage' ? (measure === 'distance' ? '#distance' : '#coverage') : view === 'plan' ? '#plan' : view === 'pro' ? '#professionals' : view === 'trends' ? '#trends' : '';
  history.replaceState(null, '', hash || location.pathname + location.search);
}
