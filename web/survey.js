// The usefulness survey in the page's footer: a small form built from
// GET /api/survey?audience=public, sent without an account and without personal data.
import { t, lang } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';

let questions = null; // the public questions, once fetched
let done = false;

/** Builds (or, after a language change, rebuilds) the survey box in `#survey`. */
export function renderSurvey() {
  const box = $('survey');
  if (!box) return;
  const wasOpen = box.open;
  replace(box, h('summary', {}, t('survey.open')), done
    ? h('p', { class: 'note', id: 'survey-done' }, t('survey.thanks'))
    : h('div', { id: 'survey-body' }, questions ? form() : null));
  box.open = wasOpen;
  if (!box.dataset.bound) {
    box.dataset.bound = '1';
    box.addEventListener('toggle', load);
  }
}

async function load() {
  const box = $('survey');
  if (!box.open || questions || done) return;
  try {
    questions = (await api.survey('public')).questions;
    renderSurvey();
  } catch {
    replace($('survey-body'), h('p', { class: 'status' }, t('survey.error')));
  }
}

const label = (o) => (lang() === 'en' ? o.en : o.pt);

/** The answers given in a survey form: text trimmed, scales as numbers, unanswered left out. */
export function collectAnswers(form, questions) {
  const answers = {};
  for (const q of questions) {
    if (q.kind === 'text') {
      const v = form.querySelector(`textarea[name="${q.id}"]`).value.trim();
      if (v) answers[q.id] = v;
    } else {
      const v = form.querySelector(`input[name="${q.id}"]:checked`)?.value;
      if (v) answers[q.id] = q.kind === 'scale' ? Number(v) : v;
    }
  }
  return answers;
}

/** One question as a fieldset (radio buttons, or a short text); also used by the provider area. */
export function questionField(q, prefix = 'survey') {
  const id = `${prefix}-${q.id}`;
  const legend = h('legend', {}, label(q));
  if (q.kind === 'text') {
    return h('fieldset', {}, legend,
      h('textarea', { id, name: q.id, rows: 2, maxlength: 500, 'aria-label': label(q) }));
  }
  const opts = q.kind === 'scale'
    ? (lang() === 'en' ? q.labels_en : q.labels_pt).map((l, i) => ({ value: i + 1, text: `${i + 1} · ${l}` }))
    : q.options.map((o) => ({ value: o.id, text: label(o) }));
  return h('fieldset', {}, legend, opts.map((o) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: q.id, value: o.value }), ` ${o.text}`)));
}

function form() {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'btn btn-primary' }, t('survey.send'));
  const el = h('form', {
    class: 'survey-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const answers = collectAnswers(el, questions);
      if (!Object.keys(answers).length) {
        status.textContent = t('survey.empty');
        return;
      }
      send.disabled = true;
      status.textContent = t('survey.sending');
      try {
        await api.answerSurvey({ audience: 'public', answers });
        done = true;
        renderSurvey();
      } catch (err) {
        send.disabled = false;
        status.textContent = err.status === 429 ? t('report.later') : t('survey.error');
      }
    },
  },
  questions.map((q) => questionField(q)),
  h('p', { class: 'hint' }, t('survey.privacy'), ' ',
    h('a', { href: `/privacy.html${lang() === 'en' ? '#en' : ''}` }, t('footer.privacy'))),
  send, status);
  return el;
}
