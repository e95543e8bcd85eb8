// A 422 answer's messages under their fields. The server names every refused field at once
// ({"error": "invalid a, b", "fields": {"a": "...", "b": "..."}}; a nested object is named by
// its top-level field: enrol, organiser, position); each message goes under its field, marked
// aria-invalid, and the first one gets the focus.
import { t, lang } from './i18n.js';

/**
 * `fields`: the answer's {name: message}. `place(name)`: the form's {input, error} for a name
 * the server gives (`input` one element or several; null when the form has no such field). `words(name)`: our words for the
 * field, in the page's language (the server's message is added in English). Returns the
 * messages that have no field on the form, in our words, to say in the form's summary.
 */
export function showFieldErrors(fields, place, words) {
  let first = null;
  const elsewhere = [];
  for (const [name, message] of Object.entries(fields || {})) {
    const say = explain(words(name), message);
    const at = place(name);
    if (!at) {
      elsewhere.push(say);
      continue;
    }
    // Two names of the server may share a field (enrol and its parts): both messages stay.
    const before = at.error.textContent;
    at.error.textContent = before && !before.includes(say) ? `${before} ${say}` : say;
    const marked = [at.input].flat();
    for (const el of marked) el.setAttribute('aria-invalid', 'true');
    first ||= marked[0];
  }
  // A group of check boxes is focused on its first box.
  (first?.matches('input, select, textarea') ? first : first?.querySelector('input, select, textarea'))?.focus();
  return elsewhere;
}

/** Our words, and the server's own in English (they are English). */
function explain(own, message) {
  return lang() === 'en' && message && own !== message ? `${own} (${message})` : own;
}

/** Our words for a field: `${prefix}.${name}` when there is such a string, else the generic
 * `${prefix}.other` naming the field by its label (`label(name)`). */
export function fieldWords(prefix, label) {
  return (name) => {
    const key = `${prefix}.${name}`;
    const own = t(key);
    return own !== key ? own : t(`${prefix}.other`, { field: label(name) });
  };
}
