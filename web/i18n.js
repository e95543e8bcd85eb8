// The page's language: t() and the number, distance and date formats. The strings themselves
// are in locales/<code>.js (Portuguese, the default, and English); names of groups and kinds of
// care come from /api/taxonomy, not from here. Adding a language: docs/development/web.md.

import pt from './locales/pt.js';
import en from './locales/en.js';

const STRINGS = { pt, en };

export const LANGS = ['pt', 'en'];
const LOCALES = { pt: 'pt-PT', en: 'en-GB' };

let current = 'pt';

/** The language in use ('pt' or 'en'). */
export function lang() {
  return current;
}

/** Sets the language (unknown codes fall back to Portuguese). */
export function setLang(code) {
  current = LANGS.includes(code) ? code : 'pt';
  return current;
}

/** The string `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const s = STRINGS[current][key] ?? STRINGS.pt[key] ?? key;
  const all = { region: regionName, ...vars };
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in all ? String(all[k]) : m));
}

// The served region's name, for the strings that name it ({region}); set once it is known.
let regionName = 'Alentejo';

/** Sets the region name the strings use (the served region's, from /api/region). */
export function setRegionName(n) {
  if (n) regionName = n;
}

/** A name object {pt, en} (from the API) in the current language. */
export function name(obj) {
  if (!obj) return '';
  if (typeof obj === 'string') return obj;
  return obj[current] ?? obj.pt ?? obj.en ?? '';
}

/** A plain-words name of a response from the taxonomy. */
export function plainName(response) {
  if (!response) return '';
  return (current === 'en' ? response.en_plain : response.pt_plain) || name(response);
}

/** A number in the current locale (never "-0"). */
export function num(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return t('svc.unknown');
  let x = Number(n);
  if (Math.abs(x) < 0.5 * 10 ** -digits) x = 0;
  return new Intl.NumberFormat(LOCALES[current], {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(x);
}

/** A count the data may not give: "Sem dados" / "No data" when unknown, never 0. */
export function numOrNoData(n, digits = 0) {
  return n === null || n === undefined ? t('cov.legend.nodata') : num(n, digits);
}

/** A share (0..1) as a percentage: "16%" (never "-0%"). */
export function pct(share, digits = 0) {
  if (share === null || share === undefined || Number.isNaN(Number(share))) return '—';
  let x = Number(share);
  if (Math.abs(x) < 0.5 * 10 ** -(digits + 2)) x = 0;
  return new Intl.NumberFormat(LOCALES[current], {
    style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(x);
}

/** Kilometres: "4,7 km" (one decimal unless told). */
export function km(x, digits = 1) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return '—';
  return t('unit.km', { n: num(x, digits) });
}

/** The BCP 47 locale of the current language. */
export function locale() {
  return LOCALES[current];
}

/** A distance in metres as "850 m" or "1,2 km". */
export function distance(m) {
  if (m === null || m === undefined) return '';
  if (m < 1000) return t('unit.m', { n: num(Math.round(m / 10) * 10) });
  return t('unit.km', { n: num(m / 1000, m < 10000 ? 1 : 0) });
}

/** A date (YYYY-MM-DD or ISO) in the current locale. */
export function date(s) {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return String(s);
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium' }).format(d);
}

/**
 * A day (YYYY-MM-DD, a UTC day as the server stores it) in the page's language. Formatted in
 * UTC so that west of Greenwich it is not shown as the day before.
 */
export function day(iso) {
  if (!iso) return '';
  const d = new Date(`${String(iso).slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** Text without accents, lower-cased: for matching what people type. */
export function fold(s) {
  return String(s ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Fills every element with data-i18n (text), data-i18n-label (aria-label),
 * data-i18n-placeholder, data-i18n-title under `root`. */
export function translateDom(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.setAttribute('title', t(el.dataset.i18nTitle));
}
