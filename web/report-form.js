// "Is this wrong?": the form a citizen uses to report a problem with a service's details.
import { t, lang } from './i18n.js';
import { api } from './api.js';
import { h } from './dom.js';

const PROBLEMS = ['phone_not_answering', 'closed', 'wrong_place', 'wrong_details', 'other'];

/** "Is this wrong?": a citizen tells the provider and the moderators, without an account. */
export function reportForm(id) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const note = h('textarea', { id: 'report-note', name: 'note', rows: 3, maxlength: 500 });
  const send = h('button', { type: 'submit', class: 'btn btn-primary' }, t('report.send'));
  const form = h('form', {
    class: 'report-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const problem = form.querySelector('input[name=problem]:checked')?.value;
      if (!problem) {
        status.textContent = t('report.choose');
        return;
      }
      send.disabled = true;
      status.textContent = t('report.sending');
      try {
        await api.report(id, { problem, note: note.value });
        form.replaceChildren(h('p', { class: 'note', id: 'report-done' }, t('report.thanks')));
      } catch (err) {
        send.disabled = false;
        status.textContent = err.status === 429 ? t('report.later') : t('report.error');
      }
    },
  },
  h('fieldset', {}, h('legend', {}, t('report.what')),
    PROBLEMS.map((p) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'problem', value: p }), ` ${t(`report.${p}`)}`))),
  h('label', { for: 'report-note' }, t('report.note')), note,
  h('p', { class: 'hint' }, t('report.privacy'), ' ',
    h('a', { href: `/privacy.html${lang() === 'en' ? '#en' : ''}` }, t('footer.privacy'))),
  send, status);
  return h('details', { class: 'report', id: 'report' }, h('summary', {}, t('report.open')), form);
}
