/**
 * The whole dashboard as a browser runs it: the server's /ui/ page and its ES modules loaded into
 * happy-dom (JavaScript enabled), signing in with the admin token and opening a device.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, type BrowserPage } from 'happy-dom';
import { addDevice, startTestServer, type TestServer } from '../helpers/test-server.js';
import { until } from '../helpers/until.js';


describe('dashboard page', () => {
  let ts: TestServer;
  let browser: Browser;
  let page: BrowserPage;
  before(async () => {
    ts = await startTestServer();
    await addDevice(ts.server, { id: 'IMEI:42' });
    browser = new Browser({ settings: { enableJavaScriptEvaluation: true } });
    page = browser.newPage();
  });
  after(async () => {
    await browser.close();
    await ts.close();
  });

  it('asks for a token, refuses a wrong one, then lists the devices', async () => {
    await page.goto(`${ts.url}/`);
    await page.waitUntilComplete();
    const doc = page.mainFrame.document;
    const signIn = async (token: string): Promise<void> => {
      const input = await until(() => doc.querySelector('input[type=password]'), 'the token field');
      (input as unknown as { value: string }).value = token;
      doc.querySelector('.login form')?.dispatchEvent(new page.mainFrame.window.Event('submit', { cancelable: true }));
    };
    await signIn('omadm_wrong');
    await until(() => /not accepted/.test(doc.querySelector('.login')?.textContent ?? ''), 'the refusal');
    await signIn(ts.token);
    const link = await until(() => doc.querySelector('main tbody a'), 'the device list');
    assert.equal(link.textContent, 'IMEI:42');
    assert.equal(page.mainFrame.window.localStorage.getItem('omadm.apiToken'), ts.token);

    page.mainFrame.window.location.hash = link.getAttribute('href') ?? '';
    await until(() => doc.querySelector('main h2')?.textContent?.startsWith('IMEI:42') && doc.querySelector('dl.facts'), "the device's page");
    assert.ok(doc.querySelector('nav a[data-page=devices]')?.classList.contains('active'));
  });
});
