// HTML mail as agents and customers see it: every message imported through the binary's
// `mail ingest` (the path an MTA pipes into), its HTML body shown in a sandboxed frame with its
// own CSP, and held mail an agent releases. The XSS corpus (fixtures/xss-email-vectors.txt)
// must neither open a dialog nor run a script (each alert(1) also sets a marker global), and
// no request may leave 127.0.0.1, with the harness's assertClean holding on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  useServerAndBrowser, newContext, watchPage, assertClean, runAxe, assertNoAxeViolations,
  binaryPath, serverEnvironment, TEST_TIMEOUT,
} from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const HASH_ENV = { RAMPART_AUTH_HASH_MEMORY_KIB: '19456' };
const env = useServerAndBrowser({ before, after }, { env: HASH_ENV });

/** The vectors, each with every alert(1) also setting self.__xssRan. */
async function vectors() {
  const text = await readFile(join(here, 'fixtures', 'xss-email-vectors.txt'), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('# '))
    .map((l) => l.replaceAll('alert(1)', '(self.__xssRan=1,alert(1))'));
}

/** Runs the server binary with its data directory (and the caller's input on stdin). */
function rampart(args, input = '') {
  return new Promise((resolve, reject) => {
    const child = execFile(binaryPath(), [...args, '--data-dir', env.server.dataDir],
      { timeout: 20_000, env: serverEnvironment(HASH_ENV) }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stdout}\n${stderr}`)); else resolve(stdout);
      });
    child.stdin.end(input);
  });
}

function htmlMail(from, subject, id, text, html) {
  return [`From: ${from}`, 'To: support@help.example', `Subject: ${subject}`, `Message-ID: <${id}>`,
    'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="b1"', '', '--b1',
    'Content-Type: text/plain; charset=utf-8', '', text, '--b1',
    'Content-Type: text/html; charset=utf-8', '', html, '--b1--', ''].join('\r\n');
}

let mailbox;
async function ingest(raw) {
  mailbox ??= rampart(['mail', 'mailbox', 'add', '--name', 'support', '--address', 'support@help.example']);
  await mailbox;
  return (await rampart(['mail', 'ingest', '--mailbox', 'support'], raw)).trim();
}

/**
 * An agent signed in, in a context that records every request leaving 127.0.0.1 (and aborts
 * it, so that nothing reaches the network even when a test fails).
 */
async function agentSession(t, account = env.server.accounts.agent) {
  const context = await newContext(env.browser);
  t.after(() => context.close());
  const external = [];
  await context.route((url) => url.hostname !== '127.0.0.1' && url.protocol !== 'data:', (route) => {
    external.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  const watch = await watchPage(page);
  await page.goto(`${env.server.baseUrl}/login`);
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/agent/' || u.pathname === '/portal/', { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  return { context, page, watch, external };
}

/**
 * A cid: image that names no picture sent inside the mail (the vectors' do not) stays a cid:
 * reference, which browsers cannot load: Chromium reports an unknown scheme. That is a picture
 * not shown, not a page fault; anything else still counts. (Pictures the mail does carry are
 * written into the frame as data: URLs: see the inline-image test.)
 */
function forgetCidImages(watch) {
  watch.failedRequests = watch.failedRequests.filter(
    (r) => !(r.url.startsWith('cid:') && r.failure === 'net::ERR_UNKNOWN_URL_SCHEME'));
  watch.consoleErrors = watch.consoleErrors.filter(
    (e) => !(e.location?.url?.startsWith('cid:') && /ERR_UNKNOWN_URL_SCHEME/.test(e.text)));
}

/** Opens the ticket's page, opens its HTML version, waits for the frame; returns the frame. */
async function openFramed(session, number, { settle = true } = {}) {
  const { page } = session;
  const response = await page.goto(`${env.server.baseUrl}/agent/tickets/${number}`, { waitUntil: 'load' });
  assert.equal(response.status(), 200, `GET /agent/tickets/${number}`);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /frame-src 'self'/);
  const iframe = page.locator('iframe.mail-frame');
  assert.equal(await iframe.getAttribute('sandbox'), '', 'the frame has no sandbox exceptions');
  await page.getByText('HTML version').first().click();
  const handle = await iframe.elementHandle();
  const frame = await handle.contentFrame();
  await frame.waitForLoadState('load');
  if (settle) await page.waitForLoadState('networkidle');
  return frame;
}

test('no XSS vector from HTML mail runs, opens a dialog or reaches the network', { timeout: 300_000 }, async (t) => {
  const list = await vectors();
  assert.ok(list.length >= 40, `at least 40 vectors (${list.length})`);
  const numbers = [];
  for (const [i, vector] of list.entries()) {
    const out = await ingest(htmlMail(`vector${i}@vectors.example`, `Vector ${i}`, `vector${i}@vectors.example`,
      `Plain text of vector ${i}.`, `<p>Vector ${i}</p>${vector}<p>after</p>`));
    const m = /^new_ticket (RMP-\d+)/.exec(out);
    assert.ok(m, `vector ${i} imported as a ticket: ${out}`);
    numbers.push(m[1]);
  }
  const session = await agentSession(t);
  for (const [i, number] of numbers.entries()) {
    // Not waiting for network idle per vector (it costs half a second each): a late request
    // is still caught by the route guard, checked again once all pages were seen.
    const frame = await openFramed(session, number, { settle: false });
    // The frame's document is the sanitized mail: check what survived and that nothing ran.
    const framed = await frame.content();
    assert.match(framed, new RegExp(`Vector ${i}`), `vector ${i} is shown`);
    // The marker is read in every frame; that the sandboxed one can be read at all is checked
    // first, so that a failing read cannot pass for "nothing ran".
    assert.equal(await frame.evaluate(() => document.title), 'Message');
    for (const f of session.page.frames()) {
      const ran = await f.evaluate(() => self.__xssRan);
      assert.equal(ran, undefined, `vector ${i} ran a script in ${f.url()}: ${list[i]}`);
    }
    assert.deepEqual(session.watch.dialogs, [], `vector ${i} opened a dialog: ${list[i]}`);
    assert.deepEqual(session.external, [], `vector ${i} made a request off 127.0.0.1: ${list[i]}`);
    forgetCidImages(session.watch);
    await assertClean(session.watch);
  }
  await session.page.waitForLoadState('networkidle');
  assert.deepEqual(session.watch.dialogs, []);
  assert.deepEqual(session.external, []);
  forgetCidImages(session.watch);
  await assertClean(session.watch);
});

test('the HTML version is framed with its own policy and shows images only when asked', { timeout: TEST_TIMEOUT }, async (t) => {
  const out = await ingest(htmlMail('Fran <fran@customer.example>', 'Newsletter', 'news1@customer.example',
    'The plain text.', '<h2>Big news</h2><p style="color: #c00">Red text</p><img src="https://cdn.example/logo.png" alt="Logo">'));
  const number = /^new_ticket (RMP-\d+)/.exec(out)[1];
  const session = await agentSession(t);
  const { page } = session;
  const response = await page.goto(`${env.server.baseUrl}/agent/tickets/${number}`, { waitUntil: 'load' });
  assert.equal(response.status(), 200);
  // The text is the default view; the HTML is one click away.
  assert.ok(await page.getByText('The plain text.').isVisible());
  assert.match(await page.locator('.sender-checks').first().innerText(), /DKIM none · SPF none · DMARC/);
  const frame = await openFramed(session, number);
  assert.equal(await frame.locator('h2').innerText(), 'Big news');
  // The remote image was not fetched: the frame's CSP refused it before any request.
  assert.deepEqual(session.external, []);
  // Chromium logs the refusal, and that the sandboxed document may not run the violation's
  // event, and the request it stopped (failure 'csp', never sent): all from the frame, about
  // this image only. Anything else still fails the page.
  const refusal = /^Loading the image 'https:\/\/cdn\.example\/logo\.png' violates the following Content Security Policy directive: "img-src data: cid:"/;
  const sandboxed = /^Blocked script execution in '[^']*\/html' because the document's frame is sandboxed/;
  assert.ok(session.watch.cspConsoleMessages.length > 0, 'the remote image was refused by the frame CSP');
  assert.ok(session.watch.cspConsoleMessages.every((m) => refusal.test(m.text)));
  session.watch.cspConsoleMessages = [];
  session.watch.consoleErrors = session.watch.consoleErrors.filter(
    (e) => !(/\/html$/.test(e.location?.url ?? '') && (refusal.test(e.text) || sandboxed.test(e.text))));
  session.watch.failedRequests = session.watch.failedRequests.filter(
    (r) => !(r.url === 'https://cdn.example/logo.png' && r.failure === 'csp'));
  await assertClean(session.watch);
  const results = await runAxe(page);
  assertNoAxeViolations(results);
  // "Show images" reloads the page with this frame allowed https: images (aborted here by the
  // test's network guard, which records that the request was attempted).
  await page.getByRole('link', { name: 'Show images' }).click();
  await page.waitForURL(/\?images=\d+#message-\d+$/, { waitUntil: 'load' });
  assert.match(await page.locator('iframe.mail-frame').getAttribute('src'), /\/html\?images=1$/);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(session.external, ['https://cdn.example/logo.png']);
});

test('a picture sent inside the mail is shown in its frame, from its own part', { timeout: TEST_TIMEOUT }, async (t) => {
  // A 1x1 PNG referenced by its Content-ID, and a "picture" whose bytes are a script: the first
  // is shown as a data: URL, the second stays an unloadable cid: reference.
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';
  const raw = ['From: Lou <lou@brand.example>', 'To: support@help.example', 'Subject: Our new logo',
    'Message-ID: <inline1@brand.example>', 'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="r1"', '', '--r1', 'Content-Type: text/html; charset=utf-8', '',
    '<p>The logo:</p><img src="cid:logo@brand.example" alt="Logo"><img src="cid:fake@brand.example" alt="Fake">',
    '--r1', 'Content-Type: image/png', 'Content-ID: <logo@brand.example>', 'Content-Disposition: inline',
    'Content-Transfer-Encoding: base64', '', png, '--r1', 'Content-Type: image/png',
    'Content-ID: <fake@brand.example>', 'Content-Disposition: inline', '',
    '<script>self.__xssRan=1;alert(1)</script>', '--r1--', ''].join('\r\n');
  const out = await ingest(raw);
  const number = /^new_ticket (RMP-\d+)/.exec(out)?.[1];
  assert.ok(number, `imported as a ticket: ${out}`);
  const session = await agentSession(t);
  const frame = await openFramed(session, number);
  const logo = frame.locator('img[alt="Logo"]');
  assert.equal(await logo.getAttribute('src'), `data:image/png;base64,${png}`);
  assert.equal(await logo.evaluate((img) => img.complete && img.naturalWidth), 1, 'the picture loaded');
  assert.equal(await frame.locator('img[alt="Fake"]').getAttribute('src'), 'cid:fake@brand.example');
  for (const f of session.page.frames()) assert.equal(await f.evaluate(() => self.__xssRan), undefined);
  assert.deepEqual(session.watch.dialogs, []);
  assert.deepEqual(session.external, []);
  forgetCidImages(session.watch);
  await assertClean(session.watch);
});

test('held mail warns that the sender is not verified and is released once', { timeout: TEST_TIMEOUT }, async (t) => {
  const customer = env.server.accounts.customer;
  const subject = 'Change my bank details <script>alert(1)</script>';
  assert.equal(await ingest(htmlMail(`Customer <${customer.email}>`, subject, 'forged1@evil.example',
    'Please send refunds to this new account.', '<p>Please <b>send</b> refunds.</p><img src=x onerror=alert(1)>')), 'held');
  const session = await agentSession(t);
  const { page } = session;
  await page.goto(`${env.server.baseUrl}/agent/`, { waitUntil: 'load' });
  await page.getByRole('link', { name: /^Held mail \(\d+\)$/ }).click();
  await page.waitForURL((u) => u.pathname === '/mail/held', { waitUntil: 'load' });
  assert.match(await page.locator('main').innerText(), /NOT verified/);
  assertNoAxeViolations(await runAxe(page));
  await page.getByRole('link', { name: subject }).click();
  await page.waitForURL(/\/mail\/held\/\d+$/, { waitUntil: 'load' });
  const detail = page.url();
  assert.match(await page.locator('main').innerText(), /the sender is NOT verified/);
  assert.ok(await page.getByText('Please send refunds to this new account.').isVisible());
  assertNoAxeViolations(await runAxe(page));
  await page.getByRole('button', { name: 'Create new ticket from it' }).click();
  await page.waitForURL(/\/agent\/tickets\/RMP-\d+$/, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  // The ticket's history (folded away) records that nobody verified the sender.
  assert.match(await page.locator('main').textContent(), /unverified_sender — → customer@example\.com/);
  // The message is gone from held mail: its page is not found any more.
  const again = await page.request.get(detail);
  assert.equal(again.status(), 404);
  assert.deepEqual(session.watch.dialogs, []);
  assert.deepEqual(session.external, []);
  await assertClean(session.watch);
});
