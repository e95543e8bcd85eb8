// A destructive action behind a second step, as on the dashboard's undo: a button that opens a
// question with "yes" and "no"; "yes" runs the action (disabled meanwhile), "no" closes it and
// gives the focus back.
import { t } from './i18n.js';
import { h } from './dom.js';

/** [button, box]: `label` names the button and the group, `question` and `yes` the step;
 * `onYes()` is awaited. */
export function confirmStep({ label, question, yes: yesText, onYes }) {
  const ask = h('button', { type: 'button', class: 'btn' }, label);
  const yes = h('button', { type: 'button', class: 'btn btn-primary' }, yesText);
  const no = h('button', { type: 'button', class: 'btn' }, t('dash.undo.no'));
  const box = h('div', { class: 'dash-confirm', hidden: true, role: 'group', 'aria-label': label },
    h('p', {}, question), h('div', { class: 'dash-actions' }, yes, no));
  ask.addEventListener('click', () => { ask.hidden = true; box.hidden = false; yes.focus(); });
  no.addEventListener('click', () => { box.hidden = true; ask.hidden = false; ask.focus(); });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    try { await onYes(); } finally { yes.disabled = false; }
  });
  return [ask, box];
}
