// What the provider area's modules share: calls to the API with the session cookie and its
// CSRF value, and days shown as the server counts them (UTC).
import { t, day } from './i18n.js';

function csrf() {
  const c = document.cookie.split(';').map((s) => s.trim()).find((s) => s.startsWith('bussola_csrf='));
  return c ? decodeURIComponent(c.slice('bussola_csrf='.length)) : '';
}

/** fetch with JSON in and out; answers {status, body}. Network failures: status 0. */
export async function call(method, url, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    let json = null;
    try { json = await res.json(); } catch { /* not JSON */ }
    return { status: res.status, body: json };
  } catch {
    return { status: 0, body: null };
  }
}

/** A day (YYYY-MM-DD, UTC) in the page's language: i18n.js's, here for the area's modules. */
export { day };

/** Whole days from a YYYY-MM-DD day to now (null without a day). */
export function daysSince(iso) {
  const t0 = iso ? Date.parse(`${String(iso).slice(0, 10)}T00:00:00Z`) : NaN;
  return Number.isNaN(t0) ? null : Math.floor((Date.now() - t0) / 86400000);
}

/** The server's message for a failed call, for "Não foi possível: {msg}". */
export const why = (r) => r.body?.error || (r.status ? `HTTP ${r.status}` : t('prov.offline'));
