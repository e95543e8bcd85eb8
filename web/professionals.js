// The professionals view ("Profissionais"): its controls (the training's profile, audience,
// dates, municipality, order and "near me"), and its four lists — training, professions, public
// services, news — asked for the first time the view opens.
import { t } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';
import { state } from './page-state.js';
import { loadTraining, renderTraining, locateForTraining, showOnMap, selectOffer, trainingNear } from './training.js';
import { renderProfiles } from './profiles.js';
import { loadPublicServices, renderPublicServices } from './public-services.js';
import { loadNews, renderNews } from './news.js';

// What the page passes in from above: ctx.showGaps(response) (the coverage view by distance).
let ctx = null;

/** ctx: {showGaps(responseCode)}. Binds the view's static controls. */
export function initPro(c) {
  ctx = c;
  const p = state.pro;
  const on = (id, key) => $(id).addEventListener('change', (e) => {
    p[key] = e.target.value;
    if (key === 'municipality') {
      loadPublicServices(p.municipality);
      loadNews(p.municipality);
    }
    loadTraining();
  });
  on('training-profile', 'profile');
  on('training-audience', 'audience');
  on('training-from', 'from');
  on('training-to', 'to');
  on('training-municipality', 'municipality');
  for (const r of document.querySelectorAll('input[name="training-order"]')) {
    r.addEventListener('change', (e) => {
      if (!e.target.checked) return;
      p.order = e.target.value;
      loadTraining();
    });
  }
  $('training-form').addEventListener('submit', (e) => e.preventDefault());
  $('training-locate').addEventListener('click', locateForTraining);
}

/** The choices built from data: the profiles and the municipalities (again on a new language). */
export function renderProControls() {
  const p = state.pro;
  replace($('training-profile'),
    h('option', { value: '' }, t('pro.profile.any')),
    (p.profiles || []).map((x) => h('option', { value: x.code }, x.title)));
  $('training-profile').value = p.profile;
  replace($('training-municipality'),
    h('option', { value: '' }, t('pro.municipality.any')),
    [...state.municipalities].sort((a, b) => a.name.localeCompare(b.name, 'pt'))
      .map((m) => h('option', { value: m.code }, m.name)));
  $('training-municipality').value = p.municipality;
}

/** Shows the training of one profile (from a profession's card). */
function trainingFor(code) {
  state.pro.profile = code;
  $('training-profile').value = code;
  loadTraining({ focusList: true });
}

const profileHandlers = () => ({ onTraining: trainingFor, onGaps: (code) => ctx.showGaps(code) });

/** Opens the view: the first time asks for its lists; later puts the offers back on the map. */
export async function renderPro() {
  const p = state.pro;
  if (p.loaded) {
    showOnMap();
    return;
  }
  p.loaded = true;
  renderProControls();
  renderProfiles(profileHandlers());
  loadTraining();
  loadPublicServices(p.municipality);
  loadNews(p.municipality);
  try {
    const answer = await api.profiles();
    p.profiles = answer.profiles || [];
    p.catalogue = answer.catalogue;
  } catch {
    p.profiles = [];
  }
  renderProControls();
  renderProfiles(profileHandlers());
  if (p.results) renderTraining(); // the cards name the profiles
}

/** Everything of the view again, in the new language. */
export function rerenderPro() {
  if (!state.pro.loaded) return;
  renderProControls();
  renderProfiles(profileHandlers());
  renderTraining();
  renderPublicServices();
  renderNews();
}

/** The map's handlers in this view: a click on an offer, or anywhere else (near there). */
export const proMapHandlers = {
  onOffer: (id) => selectOffer(id, { scroll: true }),
  onPoint: (ll) => trainingNear({ lon: ll.lng, lat: ll.lat, how: 'point' }),
};
