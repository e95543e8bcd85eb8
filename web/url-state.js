// The page's address and the browser's memory: the language to start in (?lang=, else the
// last one chosen) and the view in the hash (#coverage, #distance, #plan, #professionals, #trends, or
// their Portuguese).
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
