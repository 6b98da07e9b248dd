// Tickets as people's browsers see them: a customer and agents walking the real flows (open,
// triage, reply, internal note, merge, search), hostile text in every field a person can fill,
// attempts to reach what is not theirs, and the accessibility of the pages they work in.
//
// Every page is watched from its first navigation: each visit ends in assertClean (no console
// error, failed request, CSP violation or dialog), with only the error statuses a test expects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  useServerAndBrowser, newContext, watchPage, assertClean, runAxe, assertNoAxeViolations,
  screenshot, TEST_TIMEOUT,
} from './harness.mjs';

// The three classic payloads, together: markup, an attribute break-out and a script URL.
const XSS_SCRIPT = '<script>alert(1)</script>';
const XSS_IMG = '"><img src=x onerror=alert(1)>';
const XSS_URL = 'javascript:alert(1)';
const XSS = `${XSS_SCRIPT} ${XSS_IMG} ${XSS_URL}`;
// How each must come back in the HTML: as escaped text.
const XSS_SCRIPT_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const XSS_IMG_ESCAPED = /(&quot;|&#34;)&gt;&lt;img src=x onerror=alert\(1\)&gt;/;

const env = useServerAndBrowser({ before, after }, {
  env: { RAMPART_AUTH_HASH_MEMORY_KIB: '19456' }, // argon2's floor: sign-in stays fast in tests
  users: {
    // A customer and an agent whose display names are the payloads: the names show in the
    // header, the queue's requester column, the ticket's details and as a message's author.
    xssCustomer: { email: 'xss-customer@example.com', role: 'end_user', name: `Mallory ${XSS}` },
    xssAgent: { email: 'xss-agent@example.com', role: 'agent', department: 'Support', name: `Agent ${XSS}` },
    // A second customer, to prove one customer never sees another's tickets.
    otherCustomer: { email: 'other-customer@example.com', role: 'end_user', name: 'Olive Other' },
  },
});

/** A word that occurs nowhere else, so that search finds exactly what a test wrote. */
function uniqueWord(prefix) {
  const letters = [...randomBytes(10)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
  return `${prefix}${letters}`;
}

function pathOf(url) {
  return new URL(url).pathname;
}

/**
 * Signs `account` in through the form, in a fresh browser context with a watched page.
 * `session.expect(status, path)` accepts one error status for one path (a test of a 404 page):
 * the response, and the console message Chromium logs for it, are then not failures.
 */
async function signIn(t, account) {
  const context = await newContext(env.browser);
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
  const session = {
    account, context, page, watch,
    expect(status, path) { expected.push({ status, path }); },
  };
  await visit(session, '/login');
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const home = account.role === 'end_user' || account.role === 'customer' ? '/portal/' : '/agent/';
  await page.waitForURL((u) => u.pathname === home, { waitUntil: 'load' });
  await settled(session);
  return session;
}

/**
 * Waits until the page has loaded everything (Chromium fetches the favicon after `load`; the
 * next navigation would abort it, a failed request), then checks that it behaved.
 */
async function settled(session) {
  await session.page.waitForLoadState('networkidle');
  await assertClean(session.watch);
}

/** Opens `path`, checks the status and that the page behaved; returns the response and its raw HTML. */
async function visit(session, path, { status = 200 } = {}) {
  if (status >= 400) session.expect(status, pathOf(new URL(path, env.server.baseUrl)));
  const response = await session.page.goto(`${env.server.baseUrl}${path}`, { waitUntil: 'load' });
  assert.equal(response.status(), status, `GET ${path}`);
  const html = await response.text();
  await settled(session);
  return { response, html };
}

/** Clicks a submit button (or link) and waits for the page it leads to (after any redirect). */
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

/** The customer opens a ticket through the portal's form; returns its number. */
async function openTicket(session, subject, body) {
  await visit(session, '/portal/');
  await submit(session, session.page.getByRole('link', { name: 'New ticket' }), (u) => u.pathname === '/portal/tickets/new');
  await session.page.getByLabel('Subject').fill(subject);
  await session.page.getByLabel('How can we help?').fill(body);
  await submit(session, session.page.getByRole('button', { name: 'Open ticket' }), /\/portal\/tickets\/RMP-\d+\?done=created$/);
  await assert.doesNotReject(session.page.getByRole('status').getByText('Your ticket is open').waitFor());
  return ticketNumberIn(session.page.url());
}

/** An agent sends a public reply or an internal note from the ticket page that is open. */
async function agentWrites(session, number, kind, text) {
  const page = session.page;
  await page.getByLabel('Reply or note').fill(text);
  await page.getByRole('radio', { name: kind === 'note' ? 'Internal note' : 'Public reply' }).check();
  const done = kind === 'note' ? 'noted' : 'replied';
  await submit(session, page.getByRole('button', { name: 'Send', exact: true }),
    new RegExp(`/agent/tickets/${number}\\?done=${done}$`));
}

/** The rows of the customer's ticket list (first page), as ticket numbers. */
async function portalTicketNumbers(session) {
  await visit(session, '/portal/');
  return session.page.locator('main table tbody tr td:first-child').allInnerTexts();
}

test('a customer opens a ticket; an agent triages, answers, notes, merges and finds it', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { customer, agent } = env.server.accounts;
  const bodyWord = uniqueWord('printer');
  const replyWord = uniqueWord('answer');
  const noteWord = uniqueWord('secret');
  const secondWord = uniqueWord('followup');

  // The customer opens two tickets (the second one is a follow-up that should have been a reply).
  const cust = await signIn(t, customer);
  const subject = `The office printer jams ${uniqueWord('s')}`;
  const first = await openTicket(cust, subject, `Since Monday the printer jams. ${bodyWord} please help.`);
  assert.equal(await cust.page.getByRole('heading', { level: 1 }).innerText(), subject);
  const second = await openTicket(cust, 'Printer again', `Forgot to say: it is the second floor ${secondWord}.`);
  assert.notEqual(first, second);
  const mine = await portalTicketNumbers(cust);
  assert.ok(mine.includes(first) && mine.includes(second), `portal list: ${mine}`);

  // An agent finds it in the shared inbox's Unassigned view (an end user's ticket has no department).
  const ag = await signIn(t, agent);
  await submit(ag, ag.page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Unassigned' }),
    (u) => u.pathname === '/agent/' && u.searchParams.get('view') === 'unassigned');
  const row = ag.page.locator('main table tbody tr', { has: ag.page.getByRole('link', { name: first, exact: true }) });
  assert.equal(await row.count(), 1, `${first} is not in the Unassigned view`);
  assert.match(await row.innerText(), new RegExp(subject));
  await submit(ag, row.getByRole('link', { name: first, exact: true }), (u) => u.pathname === `/agent/tickets/${first}`);
  const details = ag.page.getByRole('complementary', { name: 'Ticket details' });
  assert.match(await details.innerText(), /Department: Shared inbox/);
  assert.match(await details.innerText(), /Assignee: Nobody/);

  // Assign to me.
  await submit(ag, ag.page.getByRole('button', { name: 'Assign to me' }), new RegExp(`/agent/tickets/${first}\\?done=assigned$`));
  assert.match(await details.innerText(), /Assignee: agent/);
  await visit(ag, '/agent/?view=unassigned');
  assert.equal(await ag.page.getByRole('link', { name: first, exact: true }).count(), 0, 'still unassigned');
  await visit(ag, '/agent/?view=mine');
  assert.equal(await ag.page.getByRole('link', { name: first, exact: true }).count(), 1, 'not in Mine');

  // A public reply, then an internal note.
  await visit(ag, `/agent/tickets/${first}`);
  await agentWrites(ag, first, 'reply', `Thanks, we are on it. ${replyWord}`);
  assert.ok(await ag.page.getByRole('status').getByText('Your reply was added.').isVisible());
  await agentWrites(ag, first, 'note', `Customer is on the old firmware. ${noteWord}`);
  assert.ok(await ag.page.getByRole('status').getByText('The internal note was added.').isVisible());
  const noteItem = ag.page.locator('.thread li', { hasText: noteWord });
  assert.equal(await noteItem.count(), 1);
  assert.match(await noteItem.innerText(), /Internal note/);
  assert.match(await ag.page.locator('.thread').innerText(), new RegExp(replyWord));

  // The customer reloads: the reply is there, the note is not, not even in the HTML.
  const { html: customerView } = await visit(cust, `/portal/tickets/${first}`);
  assert.ok(await cust.page.locator('.thread').getByText(replyWord).isVisible());
  assert.ok(customerView.includes(replyWord));
  assert.ok(!customerView.includes(noteWord), 'the internal note reached the customer');
  assert.ok(!customerView.includes('Internal note'));
  assert.ok(!(await cust.page.content()).includes(noteWord));

  // The agent merges the second ticket into the first: its message moves, the second closes.
  await visit(ag, `/agent/tickets/${second}`);
  await ag.page.getByLabel('Merge into ticket').fill(first);
  await submit(ag, ag.page.getByRole('button', { name: 'Merge', exact: true }), new RegExp(`/agent/tickets/${first}\\?done=merged$`));
  assert.ok(await ag.page.getByRole('status').getByText('The tickets were merged.').isVisible());
  assert.ok(await ag.page.locator('.thread').getByText(secondWord).isVisible());
  await visit(ag, `/agent/tickets/${second}`);
  assert.match(await details.innerText(), new RegExp(`Merged into ${first}`));
  assert.equal(await ag.page.getByLabel('Reply or note').count(), 0, 'a merged ticket takes no replies');
  // The customer sees the merge too.
  await visit(cust, `/portal/tickets/${first}`);
  assert.ok(await cust.page.locator('.thread').getByText(secondWord).isVisible());
  assert.ok(!(await cust.page.content()).includes(noteWord));
  await visit(cust, `/portal/tickets/${second}`);
  assert.match(await cust.page.locator('main').innerText(), new RegExp(`merged into ${first}`));

  // Agent search: through the queue's search box, by a word of the body, highlighted.
  await visit(ag, '/agent/');
  await ag.page.getByLabel('Search tickets').fill(bodyWord);
  await submit(ag, ag.page.getByRole('button', { name: 'Search', exact: true }), (u) => u.pathname === '/agent/search');
  const agentHit = ag.page.locator('ol.results li');
  assert.equal(await agentHit.count(), 1);
  assert.ok(await agentHit.getByRole('link', { name: new RegExp(`^${first} · `) }).isVisible());
  assert.equal(await agentHit.locator('mark').innerText(), bodyWord);
  // Staff search reaches internal notes.
  await visit(ag, `/agent/search?q=${noteWord}`);
  assert.equal(await ag.page.locator('ol.results li').count(), 1);

  // Portal search finds the customer's ticket by the same word, and never by the note's.
  await visit(cust, `/portal/search?q=${bodyWord}`);
  const portalHit = cust.page.locator('ol.results li');
  assert.equal(await portalHit.count(), 1);
  const link = portalHit.getByRole('link', { name: new RegExp(`^${first} · `) });
  assert.equal(await link.getAttribute('href'), `/portal/tickets/${first}`);
  assert.equal(await portalHit.locator('mark').innerText(), bodyWord);
  const { html: noteSearch } = await visit(cust, `/portal/search?q=${noteWord}`);
  assert.equal(await cust.page.locator('ol.results li').count(), 0);
  assert.ok(await cust.page.getByText('Nothing matched.').isVisible());
  assert.ok(!noteSearch.includes(first), 'a search for an internal note revealed its ticket');

  await screenshot(ag.page, 'tickets-agent-search');
  await screenshot(cust.page, 'tickets-portal-search');
});

/** The hostile text came back as text: escaped in the HTML, shown literally, nothing ran. */
async function assertInert(session, html, where) {
  const page = session.page;
  assert.ok(html.includes(XSS_SCRIPT_ESCAPED), `${where}: the escaped <script> payload is missing`);
  assert.match(html, XSS_IMG_ESCAPED, `${where}: the escaped <img> payload is missing`);
  assert.ok(!html.includes('<script>alert'), `${where}: a live <script> in the HTML`);
  assert.ok(!/<img[^>]*onerror/i.test(html), `${where}: a live <img onerror> in the HTML`);
  assert.ok(!/(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(html), `${where}: a javascript: URL`);
  // In the DOM: only our own script, no image, no handler, no script URL anywhere.
  const dom = await page.evaluate(() => ({
    scripts: [...document.scripts].map((s) => s.getAttribute('src')),
    images: document.images.length,
    handlers: [...document.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
    scriptUrls: [...document.querySelectorAll('[href],[src],[action]')]
      .map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action'))
      .filter((v) => /^\s*javascript:/i.test(v)),
    injected: window.__xss,
  }));
  assert.deepEqual(dom, { scripts: ['/static/app.js'], images: 0, handlers: [], scriptUrls: [], injected: undefined },
    `${where}: ${JSON.stringify(dom)}`);
  // A person reads the payload as text.
  const text = await page.locator('body').innerText();
  for (const p of [XSS_SCRIPT, XSS_IMG, XSS_URL]) assert.ok(text.includes(p), `${where}: "${p}" is not shown as text`);
  assert.deepEqual(session.watch.dialogs, [], `${where}: a dialog opened`);
  await assertClean(session.watch);
}

test('hostile text in subjects, messages, replies and names is shown as text and never runs', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { xssCustomer, xssAgent } = env.server.accounts;
  const word = uniqueWord('hostile');
  const replyWord = uniqueWord('reply');

  // A customer named with the payloads opens a ticket full of them.
  const cust = await signIn(t, xssCustomer);
  const header = cust.page.getByRole('navigation', { name: 'Account' });
  assert.ok((await header.innerText()).includes(xssCustomer.name), 'the header does not show the name as text');
  const number = await openTicket(cust, `Subject ${XSS} ${word}`, `Body ${word} ${XSS}\nsecond line ${XSS}`);
  await assertInert(cust, (await visit(cust, `/portal/tickets/${number}`)).html, 'portal ticket');
  await assertInert(cust, (await visit(cust, '/portal/')).html, 'portal list');

  // An agent named with the payloads works the ticket.
  const ag = await signIn(t, xssAgent);
  assert.ok((await ag.page.getByRole('navigation', { name: 'Account' }).innerText()).includes(xssAgent.name));
  await assertInert(ag, (await visit(ag, '/agent/?view=unassigned')).html, 'agent queue');
  const row = ag.page.locator('main table tbody tr', { has: ag.page.getByRole('link', { name: number, exact: true }) });
  assert.ok((await row.innerText()).includes(xssCustomer.name), 'the requester name is not shown as text');
  await assertInert(ag, (await visit(ag, `/agent/tickets/${number}`)).html, 'agent ticket');
  await agentWrites(ag, number, 'reply', `Reply ${replyWord} ${XSS}`);
  await assertInert(ag, (await visit(ag, `/agent/tickets/${number}`)).html, 'agent ticket after the reply');
  await submit(ag, ag.page.getByRole('button', { name: 'Assign to me' }), new RegExp(`/agent/tickets/${number}\\?done=assigned$`));
  await assertInert(ag, (await visit(ag, '/agent/?view=mine')).html, 'agent queue with the agent as assignee');
  // The history names the agent (an assignee change).
  const history = (await visit(ag, `/agent/tickets/${number}`)).html;
  await assertInert(ag, history, 'agent ticket with history');

  // Search results, with <mark> around the match inside the escaped snippet.
  for (const q of [word, replyWord, 'script']) {
    const { html } = await visit(ag, `/agent/search?q=${encodeURIComponent(q)}`);
    const hit = ag.page.locator('ol.results li', { has: ag.page.getByRole('link', { name: new RegExp(`^${number} · `) }) });
    assert.equal(await hit.count(), 1, `agent search for ${q}`);
    assert.ok(await hit.locator('.snippet mark').count() >= 1, `no highlight for ${q}`);
    assert.ok(!/<mark>[^<]*<(?!\/mark>)/.test(html), 'markup inside a highlight');
    await assertInert(ag, html, `agent search for ${q}`);
  }
  // The search box keeps the query, escaped in its value attribute.
  const { html: searchForPayload } = await visit(ag, `/agent/search?q=${encodeURIComponent(XSS)}`);
  assert.equal(await ag.page.getByLabel('Search tickets').inputValue(), XSS);
  assert.ok(!searchForPayload.includes(XSS_IMG));
  assert.deepEqual(ag.watch.dialogs, []);

  // The customer sees the reply (and its author's name) as text.
  await assertInert(cust, (await visit(cust, `/portal/tickets/${number}`)).html, 'portal ticket with the reply');
  const reply = cust.page.locator('.thread li', { hasText: replyWord });
  assert.ok((await reply.innerText()).includes(xssAgent.name), 'the author name is not shown as text');
  await assertInert(cust, (await visit(cust, `/portal/search?q=${word}`)).html, 'portal search');
  assert.ok(await cust.page.locator('.snippet mark').first().isVisible());
  await screenshot(cust.page, 'tickets-xss-portal-search');
});

test('customers cannot reach other tickets, the workspace, or post without the form token', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { customer, otherCustomer } = env.server.accounts;
  const word = uniqueWord('private');
  const cust = await signIn(t, customer);
  const own = await openTicket(cust, 'My private matter', `Only I may read this: ${word}`);

  // Another customer: neither by URL, nor in the list, nor by search.
  const other = await signIn(t, otherCustomer);
  const theirs = await openTicket(other, 'Their matter', 'Nothing to see');
  const { html: notFound } = await visit(other, `/portal/tickets/${own}`, { status: 404 });
  assert.ok(!notFound.includes(word) && !notFound.includes('My private matter'));
  assert.equal(await other.page.getByRole('heading', { level: 1 }).innerText(), '404 · Not Found');
  assert.ok(!(await portalTicketNumbers(other)).includes(own));
  await visit(other, `/portal/search?q=${word}`);
  assert.equal(await other.page.locator('ol.results li').count(), 0);

  // The first customer: not the other's ticket, not a demo customer's (RMP-1001 and 1002 are the demo customer's own, 1003 on belong to others), not the workspace; and
  // the answer for someone else's ticket is the answer for a ticket that does not exist.
  const pages = {};
  for (const path of [`/portal/tickets/${theirs}`, '/portal/tickets/RMP-1003', '/portal/tickets/RMP-999999',
    '/agent/', '/agent/?view=all', `/agent/tickets/${own}`, '/agent/search?q=printer']) {
    const { html } = await visit(cust, path, { status: 404 });
    assert.equal(await cust.page.getByRole('heading', { level: 1 }).innerText(), '404 · Not Found', path);
    assert.ok(!html.includes('Their matter') && !html.includes('Nothing to see'), path);
    pages[path] = html.replace(/<code>[^<]*<\/code>/, '<code></code>'); // the request id differs
  }
  assert.equal(pages[`/portal/tickets/${theirs}`], pages['/portal/tickets/RMP-999999']);
  assert.equal(pages['/portal/tickets/RMP-1003'], pages['/portal/tickets/RMP-999999']);

  // A form whose CSRF token was removed is refused and creates nothing.
  const before = await portalTicketNumbers(cust);
  await visit(cust, '/portal/tickets/new');
  await cust.page.getByLabel('Subject').fill(`Forged ${word}`);
  await cust.page.getByLabel('How can we help?').fill(`Forged body ${word}`);
  await cust.page.evaluate(() => document.querySelector('main form input[name=csrf_token]').remove());
  cust.expect(403, '/portal/tickets');
  const refused = cust.page.waitForResponse((r) => pathOf(r.url()) === '/portal/tickets' && r.request().method() === 'POST');
  await cust.page.getByRole('button', { name: 'Open ticket' }).click();
  assert.equal((await refused).status(), 403);
  await cust.page.waitForLoadState('load');
  assert.match(await cust.page.locator('main').innerText(), /This form has expired or did not come from this site/);
  await settled(cust);

  // The same without a browser form: no token, a wrong token, and a reply without a token.
  const post = (path, form) => cust.context.request.post(`${env.server.baseUrl}${path}`, { form, maxRedirects: 0 });
  await visit(cust, '/portal/'); // the error page has no forms: take the token from a page that has
  const token = await cust.page.locator('header input[name=csrf_token]').getAttribute('value');
  assert.match(token, /\S{20,}/);
  assert.equal((await post('/portal/tickets', { subject: `Forged ${word}`, body: 'no token' })).status(), 403);
  assert.equal((await post('/portal/tickets', { csrf_token: `x${token.slice(1)}`, subject: `Forged ${word}`, body: 'bad token' })).status(), 403);
  assert.equal((await post(`/portal/tickets/${own}/reply`, { body: `Forged reply ${word}` })).status(), 403);
  assert.equal((await post(`/portal/tickets/${own}/status`, { status: 'solved' })).status(), 403);

  const afterwards = await portalTicketNumbers(cust);
  assert.deepEqual(afterwards, before, 'a ticket was created without a token');
  const { html: ownPage } = await visit(cust, `/portal/tickets/${own}`);
  assert.ok(!ownPage.includes('Forged reply'));
  assert.equal(await cust.page.locator('.status').first().innerText(), 'Open');
  await visit(cust, `/portal/search?q=Forged`);
  assert.equal(await cust.page.locator('ol.results li').count(), 0);

  // With the token the same request works: the refusals above were about the token alone.
  const accepted = await post(`/portal/tickets/${own}/reply`, { csrf_token: token, body: `A real reply ${word}` });
  assert.equal(accepted.status(), 303);
  await visit(cust, `/portal/tickets/${own}`);
  assert.ok(await cust.page.locator('.thread').getByText(`A real reply ${word}`).isVisible());
});

test('the portal and workspace pages have no serious or critical accessibility violations', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { customer, agent } = env.server.accounts;
  const word = uniqueWord('axe');
  const cust = await signIn(t, customer);
  const number = await openTicket(cust, 'Cannot sign in to the billing page', `It says my session expired. ${word}`);
  const ag = await signIn(t, agent);
  await visit(ag, `/agent/tickets/${number}`);
  await agentWrites(ag, number, 'reply', 'Could you try again now?');
  await agentWrites(ag, number, 'note', 'Session store was restarted at 10:00.');

  const check = async (session, path, name) => {
    await visit(session, path);
    assertNoAxeViolations(await runAxe(session.page));
    await assertClean(session.watch); // axe ran without tripping the CSP
    await screenshot(session.page, `tickets-${name}`);
  };
  await check(cust, '/portal/', 'portal-list');
  await check(cust, `/portal/tickets/${number}`, 'portal-ticket');
  await check(cust, '/portal/tickets/new', 'portal-new');
  await check(cust, `/portal/search?q=${word}`, 'portal-search');
  await check(ag, '/agent/?view=all', 'agent-queue');
  await check(ag, `/agent/tickets/${number}`, 'agent-ticket');
  await check(ag, `/agent/search?q=${word}`, 'agent-search');
});
