// The API reference page (/api-docs): Swagger UI, served by the server itself, renders the
// OpenAPI document under the server's content security policy, with no console error and no
// request to any other site. Run: node --test --test-concurrency=1 tests/browser/
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ORIGIN, launch, openPage, shot, getJSON } from './helpers.mjs';

let browser;

describe('the API reference page', () => {
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });

  it('renders every operation from the server alone', async () => {
    const doc = await getJSON('/openapi.json');
    const operations = Object.values(doc.paths)
      .reduce((n, item) => n + Object.keys(item).filter((m) => ['get', 'post', 'patch', 'put', 'delete'].includes(m)).length, 0);
    const { context, page, requests, errors } = await openPage(browser, { path: '/api-docs', locale: 'en-GB' });
    try {
      await page.waitForFunction(() => document.body.dataset.apiDocsReady === '1');
      await page.waitForSelector('.opblock');
      const shown = await page.locator('.opblock').count();
      assert.equal(shown, operations, 'every operation is listed');
      assert.match(await page.locator('.info .title').innerText(), /Bússola/);
      // Open one operation: its parameters render from the document.
      await page.locator('#operations-services-nearest .opblock-summary').click();
      await page.waitForSelector('#operations-services-nearest .parameters');
      assert.match(await page.locator('#operations-services-nearest .parameters').innerText(), /lon/);
      await shot(page, 'api-docs');
      const outside = requests.filter((u) => !u.startsWith(ORIGIN) && !u.startsWith('data:') && !u.startsWith('blob:'));
      assert.deepEqual(outside, [], 'no request leaves the server');
      assert.deepEqual(errors, [], 'no console error (the CSP blocked nothing)');
    } finally {
      await context.close();
    }
  });
});
