// The providers' usefulness survey (GET /api/survey?audience=provider), folded away under the
// services: the questions are fetched when it is opened; the answers are sent with the
// session, and only the account's role is kept with them.
import { t, lang } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { collectAnswers, questionField } from './survey.js';
import { call } from './provider-api.js';

let questions = null;

function form() {
  const out = h('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'btn btn-primary' }, t('survey.send'));
  const el = h('form', { class: 'survey-form', novalidate: true },
    questions.map((q) => questionField(q, 'prov-survey')),
    h('p', { class: 'hint' }, t('prov.survey.privacy'), ' ',
      h('a', { href: `/privacy.html${lang() === 'en' ? '#en' : ''}` }, t('footer.privacy'))),
    send, out);
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    const answers = collectAnswers(el, questions);
    if (!Object.keys(answers).length) {
      out.className = 'result bad';
      out.textContent = t('survey.empty');
      return;
    }
    send.disabled = true;
    out.className = 'result';
    out.textContent = t('survey.sending');
    const r = await call('POST', '/api/survey', { audience: 'provider', answers });
    if (r.status === 201) {
      replace($('prov-survey-body'), h('p', { class: 'result ok', id: 'prov-survey-done', role: 'status' }, t('survey.thanks')));
      return;
    }
    send.disabled = false;
    out.className = 'result bad';
    out.textContent = r.status === 401 ? t('prov.expired') : r.status === 429 ? t('prov.survey.later') : t('survey.error');
  });
  return el;
}

async function load() {
  const box = $('prov-survey');
  if (!box.open || questions) return;
  const r = await call('GET', '/api/survey?audience=provider');
  if (r.status !== 200) {
    replace($('prov-survey-body'), h('p', { class: 'result bad' }, t('survey.error')));
    return;
  }
  questions = r.body.questions;
  replace($('prov-survey-body'), form());
}

/** Shows the folded survey (the questions load when it is opened). */
export function showSurvey() {
  const box = $('prov-survey');
  box.hidden = false;
  if (!box.dataset.bound) {
    box.dataset.bound = '1';
    box.addEventListener('toggle', load);
  }
}
