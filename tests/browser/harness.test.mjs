// The harness itself: what it reports must be real, so that a clean page means something.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser, newContext, watchPage, assertClean, parseDemoAccounts, serverEnvironment,
  TEST_TIMEOUT,
} from './harness.mjs';

const env = useServerAndBrowser({ before, after });

async function openPage(t, options) {
  const context = await newContext(env.browser);
  t.after(() => context.close());
  const page = await context.newPage();
  return { page, watch: await watchPage(page, options) };
}

test('demo passwords are parsed from demo-data output', () => {
  const out = [
    'Demo helpdesk created. These passwords are shown only now:',
    '  owner     owner@example.com     y2hqj-4esah-jfuvz-vqtaq  (one-time: change at first sign-in)',
    '  agent     agent@example.com     2wyd5-kf6gz-uxkj6-eu5f9',
    '  customer  customer@example.com  yg7ud-vxdc4-bd2s3-2zz4x',
    'added 5 tickets and 9 messages in 0.00192946 s',
  ].join('\n');
  assert.deepEqual(parseDemoAccounts(out), {
    owner: { role: 'owner', email: 'owner@example.com', password: 'y2hqj-4esah-jfuvz-vqtaq', oneTime: true },
    agent: { role: 'agent', email: 'agent@example.com', password: '2wyd5-kf6gz-uxkj6-eu5f9', oneTime: false },
    customer: { role: 'customer', email: 'customer@example.com', password: 'yg7ud-vxdc4-bd2s3-2zz4x', oneTime: false },
  });
});

test('the started server has demo accounts and keeps RAMPART_* settings of the caller out', () => {
  for (const role of ['owner', 'agent', 'customer']) {
    assert.match(env.server.accounts[role].password, /\S{8,}/);
  }
  assert.match(env.server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  const childEnv = serverEnvironment({ RAMPART_EXAMPLE: '1' });
  assert.deepEqual(Object.keys(childEnv).filter((k) => k.startsWith('RAMPART_')), ['RAMPART_EXAMPLE']);
});

test('a missing page is reported as a failed request', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, watch } = await openPage(t);
  const response = await page.goto(`${env.server.baseUrl}/no-such-page`);
  assert.equal(response.status(), 404);
  assert.deepEqual(watch.failedRequests.map((r) => r.status), [404]);
  await assert.rejects(assertClean(watch), /failedRequests/);
});

test('an expected error response can be allowed', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, watch } = await openPage(t, { allowResponse: (r) => r.status() === 404 });
  await page.goto(`${env.server.baseUrl}/no-such-page`);
  assert.deepEqual(watch.failedRequests, []);
});

test('dialogs, console errors and uncaught errors are reported', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, watch } = await openPage(t);
  await page.goto(`${env.server.baseUrl}/login`);
  await page.evaluate(() => alert('hello')); // returns once the harness dismissed it
  await page.evaluate(() => console.error('something broke'));
  await page.evaluate(() => { setTimeout(() => { throw new Error('uncaught boom'); }, 0); });
  await page.waitForFunction(() => new Promise((resolve) => setTimeout(() => resolve(true), 10)));
  assert.deepEqual(watch.dialogs.map((d) => [d.type, d.message]), [['alert', 'hello']]);
  assert.ok(watch.consoleErrors.some((m) => m.text === 'something broke'), JSON.stringify(watch.consoleErrors));
  assert.ok(watch.pageErrors.some((e) => e.includes('uncaught boom')), JSON.stringify(watch.pageErrors));
  await assert.rejects(assertClean(watch), /dialogs/);
});
