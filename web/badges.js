// The coloured letter badge of a target group (children, elderly, …): shared by the find form,
// the results' cards, the coverage figures and the map's legend.
import { lang } from './i18n.js';
import { h } from './dom.js';

const GROUP_LETTERS = {
  pt: { children: 'C', disability: 'D', elderly: 'I', family: 'F', health: 'S' },
  en: { children: 'C', disability: 'D', elderly: 'E', family: 'F', health: 'H' },
};

/** The letter of a target group in a coloured badge (null for an unknown group). */
export function groupBadge(group) {
  const letter = GROUP_LETTERS[lang()][group];
  return letter ? h('span', { class: `gbadge g-${group}`, 'aria-hidden': 'true' }, letter) : null;
}
