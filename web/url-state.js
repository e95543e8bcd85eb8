// The page's address and the browser's memory: the language to start in (?lang=, else the
// last one chosen), the base map's switch, and the view in the hash (#coverage, #distance, #plan, #professionals, or their Portuguese).
import { state } from './page-state.js';

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
}

/** The view (and the coverage view's measure) into the hash, without a history entry. */
export function writeViewHash(view, measure) {
  const hash = view === 'coverage' ? (measure === 'distance' ? '#distance' : '#coverage') : view === 'plan' ? '#plan' : view === 'pro' ? '#professionals' : '';
  history.replaceState(null, '', hash || location.pathname + location.search);
}
