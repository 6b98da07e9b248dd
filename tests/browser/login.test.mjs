// The sign-in page, as a person's browser sees it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser, newContext, watchPage, assertClean, collectCspViolations,
  runAxe, assertNoAxeViolations, screenshot, TEST_TIMEOUT,
} from './harness.mjs';

const env = useServerAndBrowser({ before, after });

// A fresh context and watched page for each test, so that tests share no state.
async function openPage(t, options) {
  const context = await newContext(env.browser);
  t.after(() => context.close());
  const page = await context.newPage();
  const watch = await watchPage(page, options);
  return { page, watch };
}

test('/ leads to the sign-in page, which renders cleanly under its own CSP', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, watch } = await openPage(t);
  const staticResponses = new Map();
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/static/')) staticResponses.set(path, r.status());
  });

  const response = await page.goto(`${env.server.baseUrl}/`, { waitUntil: 'load' });
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(response.status(), 200);
  const redirect = response.request().redirectedFrom();
  assert.ok(redirect, '/ should redirect');
  assert.equal((await redirect.response()).status(), 303);

  await assert.doesNotReject(
    page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ state: 'visible' }));
  assert.equal(await page.title(), 'Sign in · Rampart');

  // Each field is reachable through its label.
  const email = page.getByLabel('Email', { exact: true });
  const password = page.getByLabel('Password', { exact: true });
  assert.equal(await email.getAttribute('type'), 'email');
  assert.equal(await email.getAttribute('autocomplete'), 'username');
  assert.equal(await password.getAttribute('type'), 'password');
  assert.equal(await password.getAttribute('autocomplete'), 'current-password');
  assert.ok(await email.isVisible());
  assert.ok(await password.isVisible());
  assert.ok(await page.getByRole('button', { name: 'Sign in' }).isVisible());

  const form = page.locator('form:has(#password)');
  assert.equal(await form.getAttribute('method'), 'post');
  assert.equal(await form.getAttribute('action'), '/login');
  assert.equal(await form.locator('input[type=hidden][name=csrf_token]').count(), 1);

  // The main document's security headers.
  const headers = await response.allHeaders();
  const csp = headers['content-security-policy'];
  assert.ok(csp, 'Content-Security-Policy header missing');
  assert.doesNotMatch(csp, /'unsafe-inline'/);
  assert.doesNotMatch(csp, /'unsafe-eval'/);
  assert.match(csp, /(^|;)\s*(script-src|default-src) /);
  assert.equal(headers['x-content-type-options'], 'nosniff');

  // The stylesheet, script and icon came from the server and the stylesheet applies.
  assert.equal(staticResponses.get('/static/app.css'), 200);
  assert.equal(staticResponses.get('/static/app.js'), 200);
  const cssRules = await page.evaluate(() => [...document.styleSheets]
    .filter((s) => s.href?.endsWith('/static/app.css'))
    .reduce((n, s) => n + s.cssRules.length, 0));
  assert.ok(cssRules > 0, 'app.css is not applied');

  await screenshot(page, 'login');
  await assertClean(watch);
});

test('the sign-in page has no serious or critical accessibility violations', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, watch } = await openPage(t);
  await page.goto(`${env.server.baseUrl}/login`, { waitUntil: 'load' });
  const results = await runAxe(page);
  assertNoAxeViolations(results);
  await assertClean(watch); // axe ran without tripping the page's CSP
});

test('the first Tab reaches the skip link, which leads to the main content', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, watch } = await openPage(t);
  await page.goto(`${env.server.baseUrl}/login`, { waitUntil: 'load' });
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => ({
    text: document.activeElement?.textContent?.trim(),
    href: document.activeElement?.getAttribute('href'),
  }));
  assert.deepEqual(focused, { text: 'Skip to content', href: '#main' });
  assert.equal(await page.locator('#main').count(), 1);
  await assertClean(watch);
});

test('the browser enforces the CSP: injected inline script and handlers never run', { timeout: TEST_TIMEOUT }, async (t) => {
  // Also proves the harness sees violations, so a clean result elsewhere means something.
  const { page, watch } = await openPage(t);
  await page.goto(`${env.server.baseUrl}/login`, { waitUntil: 'load' });
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true; alert("xss-script")';
    document.body.append(script);
    const div = document.createElement('div');
    div.innerHTML = '<img src="data:," onerror="window.__injected = true; alert(\'xss-handler\')">';
    document.body.append(div);
  });
  // Wait (with a deadline) until both blocks are reported.
  await page.waitForFunction(() => window.__rampartCspViolations.length >= 2);
  await collectCspViolations(watch);

  assert.equal(await page.evaluate(() => window.__injected), undefined);
  assert.deepEqual(watch.dialogs, []);
  const directives = new Set(watch.cspViolations.map((v) => v.effectiveDirective));
  assert.ok(directives.has('script-src-elem'), JSON.stringify(watch.cspViolations));
  assert.ok(directives.has('script-src-attr'), JSON.stringify(watch.cspViolations));
  await assert.rejects(assertClean(watch), /cspViolations/);
});
