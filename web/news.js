// The news in the professionals view (/api/news, newest first): title, day, municipality and
// the text. The server sends the text as sanitised HTML; it is rebuilt here element by element
// from a short list (paragraphs, lists, emphasis, http(s) links), never set as markup.
import { t, day } from './i18n.js';
import { api } from './api.js';
import { h, replace, $, safeUrl } from './dom.js';

const KEEP = new Set(['P', 'UL', 'OL', 'LI', 'STRONG', 'EM', 'B', 'I', 'BR', 'BLOCKQUOTE', 'CODE']);

/** The DOM of a fragment of HTML with only the elements above and http(s) links. */
export function safeFragment(html) {
  const doc = new DOMParser().parseFromString(`<body>${html || ''}</body>`, 'text/html');
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const kids = [...node.childNodes].map(copy);
    if (node.tagName === 'A') {
      const href = safeUrl(node.getAttribute('href'));
      return href ? h('a', { href, rel: 'noopener', target: '_blank' }, kids) : h('span', {}, kids);
    }
    return KEEP.has(node.tagName) ? h(node.tagName.toLowerCase(), {}, kids) : h('span', {}, kids);
  };
  return [...doc.body.childNodes].map(copy);
}

let last = null;
let seq = 0;

function item(n) {
  const link = n.link && safeUrl(n.link);
  return h('li', { class: 'card pro-card news-item', dataset: { id: n.id } },
    h('h3', {}, n.title),
    h('p', { class: 'kind' }, day(n.date), n.municipality_name ? ` · ${n.municipality_name}` : ''),
    n.demo ? h('p', { class: 'demo-tag' }, t('pro.news.demo')) : null,
    h('div', { class: 'news-text' }, safeFragment(n.html)),
    link ? h('p', {}, h('a', { href: link, rel: 'noopener', target: '_blank' }, t('pro.news.more'))) : null);
}

/** Shows the news (again, in the page's language). */
export function renderNews() {
  const box = $('news-list');
  if (!last) return replace(box, h('li', {}, t('pro.loading')));
  if (last.error) {
    return replace(box, h('li', { class: 'note note-error' }, t('pro.news.error'), ' ',
      h('button', { type: 'button', class: 'btn', onclick: () => loadNews(last.municipality) }, t('state.retry'))));
  }
  const items = last.answer.items || [];
  replace(box, items.length ? items.map(item) : h('li', {}, t('pro.news.none')));
}

/** Asks for the latest news (of a municipality and the region's, or all with ''). */
export async function loadNews(municipality) {
  const run = ++seq;
  last = null;
  renderNews();
  try {
    const answer = await api.news(municipality, 10);
    if (run === seq) last = { municipality, answer };
  } catch {
    if (run === seq) last = { municipality, error: true };
  }
  if (run === seq) renderNews();
}
