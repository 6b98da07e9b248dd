// Attachments as people's browsers handle them: a customer opens a ticket with a file, an agent
// sees it and downloads it, hostile file names stay text, and another customer cannot fetch it.
//
// Every page is watched from its first navigation (no console error, failed request, CSP
// violation or dialog), exactly as in tickets.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  useServerAndBrowser, newContext, watchPage, assertClean, runAxe, assertNoAxeViolations,
  screenshot, TEST_TIMEOUT,
} from './harness.mjs';

const XSS_IMG = '"><img src=x onerror=alert(1)>';
// A 1x1 PNG: shown as a preview, so its name also lands in an alt attribute.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c63f80f00000101000518d84e0000000049454e44ae426082', 'hex');

const env = useServerAndBrowser({ before, after }, {
  env: { RAMPART_AUTH_HASH_MEMORY_KIB: '19456' },
  users: {
    otherCustomer: { email: 'other-customer@example.com', role: 'end_user', name: 'Olive Other' },
  },
});

function pathOf(url) {
  return new URL(url).pathname;
}

async function signIn(t, account) {
  const context = await newContext(env.browser, { acceptDownloads: true });
  t.after(() => context.close());
  const page = await context.newPage();
  const expected = [];
  const isExpected = (status, url) => expected.some((e) => e.status === status && e.path === pathOf(url));
  const watch = await watchPage(page, {
    allowResponse: (r) => isExpected(r.status(), r.url()),
    allowConsole: (m) => {
      const status = /status of (\d{3})/.exec(m.text());
      return Boolean(status) && isExpected(Number(status[1]), m.location().url || page.url());
    },
  });
  const session = { account, context, page, watch, expect(status, path) { expected.push({ status, path }); } };
  await visit(session, '/login');
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const home = account.role === 'end_user' || account.role === 'customer' ? '/portal/' : '/agent/';
  await page.waitForURL((u) => u.pathname === home, { waitUntil: 'load' });
  await settled(session);
  return session;
}

async function settled(session) {
  await session.page.waitForLoadState('networkidle');
  await assertClean(session.watch);
}

async function visit(session, path, { status = 200 } = {}) {
  if (status >= 400) session.expect(status, pathOf(new URL(path, env.server.baseUrl)));
  const response = await session.page.goto(`${env.server.baseUrl}${path}`, { waitUntil: 'load' });
  assert.equal(response.status(), status, `GET ${path}`);
  const html = await response.text();
  await settled(session);
  return { response, html };
}

async function submit(session, button, urlMatches) {
  await button.click();
  await session.page.waitForURL(urlMatches, { waitUntil: 'load' });
  await settled(session);
}

function ticketNumberIn(url) {
  const m = /\/tickets\/(RMP-\d+)/.exec(url);
  assert.ok(m, `no ticket number in ${url}`);
  return m[1];
}

test('a customer opens a ticket with files; an agent sees and downloads them; names stay text', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { customer, agent, otherCustomer } = env.server.accounts;
  const cust = await signIn(t, customer);
  await visit(cust, '/portal/tickets/new');
  await cust.page.getByLabel('Subject').fill('Screenshot of the error');
  await cust.page.getByLabel('How can we help?').fill('The error is in the attached screenshot.');
  const notes = `Steps: open, click, crash.\n`;
  await cust.page.getByLabel('Attach files (optional)').setInputFiles([
    { name: `${XSS_IMG}.png`, mimeType: 'image/png', buffer: PNG },
    { name: 'steps.txt', mimeType: 'text/plain', buffer: Buffer.from(notes) },
  ]);
  await submit(cust, cust.page.getByRole('button', { name: 'Open ticket' }), /\/portal\/tickets\/RMP-\d+\?done=created$/);
  const number = ticketNumberIn(cust.page.url());

  // The customer sees both files, the image as a preview; the hostile name is text.
  const list = cust.page.getByRole('list', { name: 'Attachments' });
  assert.match(await list.innerText(), /steps\.txt/);
  assert.match(await list.innerText(), /<img src=x onerror=alert\(1\)>\.png/);
  assert.equal(await cust.page.locator('.attachments img.preview').count(), 1);
  const { html } = await visit(cust, `/portal/tickets/${number}`);
  assert.ok(!html.includes('<img src=x'), 'a file name was rendered as markup');
  assert.equal(cust.watch.dialogs.length, 0);
  assertNoAxeViolations(await runAxe(cust.page));
  await assertClean(cust.watch);
  await screenshot(cust.page, 'attachments-portal-ticket');

  // An agent opens the ticket, sees the files and downloads one: the bytes are the customer's.
  const ag = await signIn(t, agent);
  await visit(ag, `/agent/tickets/${number}`);
  const link = ag.page.getByRole('link', { name: 'steps.txt' });
  assert.equal(await link.count(), 1);
  const [download] = await Promise.all([ag.page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'steps.txt');
  assert.equal((await readFile(await download.path())).toString(), notes);
  const href = await link.getAttribute('href');
  assert.match(href, /^\/attachments\/[0-9a-f]{32}$/);
  // Chromium reports a navigation that became a download as an aborted request: that one, and
  // only that one, is expected.
  const aborted = (r) => pathOf(r.url) === href && r.failure === 'net::ERR_ABORTED';
  for (let i = 0; i < 50 && !ag.watch.failedRequests.some(aborted); i++) await ag.page.waitForTimeout(100);
  assert.equal(ag.watch.failedRequests.filter(aborted).length, 1);
  ag.watch.failedRequests = ag.watch.failedRequests.filter((r) => !aborted(r));
  const fetched = await ag.context.request.get(`${env.server.baseUrl}${href}`);
  assert.equal(fetched.status(), 200);
  assert.equal(fetched.headers()['x-content-type-options'], 'nosniff');
  assert.match(fetched.headers()['content-security-policy'], /sandbox/);
  assert.match(fetched.headers()['content-disposition'], /^attachment;/);
  assertNoAxeViolations(await runAxe(ag.page));
  assert.equal(ag.watch.dialogs.length, 0);
  await assertClean(ag.watch);
  await screenshot(ag.page, 'attachments-agent-ticket');

  // The agent answers with a file of their own; the customer sees it.
  await ag.page.getByLabel('Reply or note').fill('Here is the fixed configuration.');
  await ag.page.getByLabel('Attach files (optional)').setInputFiles([
    { name: 'fixed.conf', mimeType: 'text/plain', buffer: Buffer.from('retries = 3\n') },
  ]);
  await submit(ag, ag.page.getByRole('button', { name: 'Send', exact: true }), new RegExp(`/agent/tickets/${number}\\?done=replied$`));
  await visit(cust, `/portal/tickets/${number}`);
  assert.equal(await cust.page.getByRole('link', { name: 'fixed.conf' }).count(), 1);

  // Another customer gets the same 404 as for a file that does not exist.
  const other = await signIn(t, otherCustomer);
  await visit(other, href, { status: 404 });
  await visit(other, `/attachments/${'0'.repeat(32)}`, { status: 404 });
});
