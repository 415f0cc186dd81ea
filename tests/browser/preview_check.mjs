// preview_check.mjs: checks a public channel's web preview (issue 6) in headless Chromium.
//
// Usage:
//   node tests/browser/preview_check.mjs SPEC.json
//   node tests/browser/preview_check.mjs < SPEC.json        (no argument, or "-": spec on stdin)
//
// The spec (JSON object):
//   baseUrl        required  "https://127.0.0.1:8443" or "http://...": where /s/... is served.
//                            Certificate errors are ignored (the server's cert is self-signed).
//   handle         required  canonical handle of a public channel.
//   newestPosts    required  what /s/HANDLE shows, oldest first (newest last):
//                            [{"seq": 5, "text": "exact text"} | {"seq": 6, "removed": true}]
//   olderPosts     optional  the same for the page its "Older posts" link leads to; when given
//                            (non-empty) the link must exist and is followed by a click.
//   hostileSeq     required  seq of a post in newestPosts whose text is hostile markup; the page
//                            and the post's own page (/s/HANDLE/SEQ) must show it as text.
//   invalidSeq     optional  seq of a post in newestPosts whose signature is invalid.
//   missingHandle  required  a handle with no public channel: /s/HANDLE must be the 404 page.
//   screenshot     required  path of the PNG to write: /s/HANDLE, full page, phone-sized.
//   title          optional  the channel's title, expected as the page's <h1>.
//   checkFeed      optional  default true: /s/HANDLE/feed.atom must parse as XML and carry the
//                            hostile post's text exactly.
//   chromium       optional  default /usr/bin/chromium (Debian's package).
//   timeoutMs      optional  default 15000: the bound of every single wait.
//
// Prints "preview_check: OK ..." and exits 0 when every check holds; otherwise prints
// "preview_check: FAIL: <the first check that failed>" and exits 1 (2 for a bad spec or a
// missing tool). Checks, in order: security headers on every response; no <script> anywhere;
// the posts, their order and their exact text; signature badges; no element but <br> inside
// any post's text; no dialog, no console error, no page error and window.__pwned unset, once
// with the page's CSP and once with CSP bypassed (so escaping alone must hold); the page fits a
// phone's width; "Older posts" pages back; the post page; the 404 page; the feed.
//
// Chromium in this sandbox: it runs as root without a user namespace sandbox, so it needs
// --no-sandbox; /dev/shm may be small on CI machines (--disable-dev-shm-usage), and there is no
// GPU (--disable-gpu). Debian's /usr/bin/chromium is a shell wrapper that adds its own flags
// from /etc/chromium.d; its "[: ...: unexpected operator" line on stderr is harmless.
import fs from 'node:fs';
import path from 'node:path';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true };

class CheckFailed extends Error {}
class SetupFailed extends Error {}

let checks = 0;
function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
  ++checks;
}

function readSpec() {
  const arg = process.argv[2];
  let text;
  try {
    text = fs.readFileSync(arg && arg !== '-' ? arg : 0, 'utf8');
  } catch (error) {
    throw new SetupFailed(`cannot read the spec: ${error.message}`);
  }
  let spec;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new SetupFailed(`the spec is not JSON: ${error.message}`);
  }
  for (const key of ['baseUrl', 'handle', 'missingHandle', 'screenshot']) {
    if (typeof spec[key] !== 'string' || spec[key] === '') throw new SetupFailed(`spec.${key}: a string`);
  }
  if (!Array.isArray(spec.newestPosts) || spec.newestPosts.length === 0) {
    throw new SetupFailed('spec.newestPosts: a non-empty array');
  }
  spec.olderPosts ??= [];
  for (const post of [...spec.newestPosts, ...spec.olderPosts]) {
    if (!Number.isInteger(post.seq) || (post.removed !== true && typeof post.text !== 'string')) {
      throw new SetupFailed(`spec: a post is {seq, text} or {seq, removed: true}: ${JSON.stringify(post)}`);
    }
  }
  if (!spec.newestPosts.some((post) => post.seq === spec.hostileSeq && !post.removed)) {
    throw new SetupFailed('spec.hostileSeq: the seq of a post in newestPosts that is not removed');
  }
  if (spec.invalidSeq !== undefined && !spec.newestPosts.some((post) => post.seq === spec.invalidSeq)) {
    throw new SetupFailed('spec.invalidSeq: the seq of a post in newestPosts');
  }
  spec.baseUrl = spec.baseUrl.replace(/\/+$/, '');
  spec.checkFeed ??= true;
  spec.chromium ??= '/usr/bin/chromium';
  spec.timeoutMs ??= 15000;
  return spec;
}

async function loadPlaywright(executable) {
  if (!fs.existsSync(executable)) {
    throw new SetupFailed(`${executable} not found: install Debian's chromium (scripts/install-deps)`);
  }
  try {
    return await import('playwright-core');
  } catch (error) {
    throw new SetupFailed(`playwright-core is missing (${error.code ?? error.message}): run \`make browser-deps\``);
  }
}

// Watches one page for anything a payload would cause if it ran.
function watch(page, label) {
  const seen = { dialogs: [], errors: [] };
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${dialog.type()} "${dialog.message()}"`);
    dialog.dismiss().catch(() => {});
  });
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => seen.errors.push(`page error: ${error.message}`));
  seen.assertQuiet = async (where) => {
    check(seen.dialogs.length === 0, `${label}: a dialog opened on ${where}: ${seen.dialogs.join('; ')}`);
    check(seen.errors.length === 0, `${label}: ${where}: ${seen.errors.join('; ')}`);
    const pwned = await page.evaluate(() => typeof window.__pwned === 'undefined' ? null : String(window.__pwned));
    check(pwned === null, `${label}: a payload ran on ${where}: window.__pwned = ${pwned}`);
  };
  return seen;
}

function checkHeaders(response, where, contentType) {
  const headers = response.headers();
  const csp = headers['content-security-policy'] ?? '';
  check(csp.includes("default-src 'none'"), `${where}: no Content-Security-Policy with default-src 'none' (got "${csp}")`);
  check(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), `${where}: the CSP allows unsafe-*: "${csp}"`);
  const scriptSrc = /script-src\s+([^;]*)/.exec(csp);
  check(!scriptSrc || scriptSrc[1].trim() === "'none'", `${where}: the CSP allows scripts: "${csp}"`);
  check(headers['x-content-type-options'] === 'nosniff', `${where}: no X-Content-Type-Options: nosniff`);
  check(headers['referrer-policy'] === 'no-referrer', `${where}: no Referrer-Policy: no-referrer`);
  check((headers['x-frame-options'] ?? '').toUpperCase() === 'DENY', `${where}: no X-Frame-Options: DENY`);
  check((headers['content-type'] ?? '').startsWith(contentType), `${where}: Content-Type is "${headers['content-type']}", not ${contentType}`);
}

async function open(page, url, status, spec) {
  const response = await page.goto(url, { waitUntil: 'load', timeout: spec.timeoutMs });
  check(response !== null, `${url}: no response`);
  check(response.status() === status, `${url}: HTTP ${response.status()}, expected ${status}`);
  checkHeaders(response, url, 'text/html');
  return response;
}

// The page's posts as the browser shows them.
async function readPosts(page) {
  return page.$$eval('article.post', (articles) => articles.map((article) => {
    const text = article.querySelector('.text');
    return {
      seq: Number(article.dataset.seq),
      id: article.id,
      signature: article.dataset.signature,
      removed: article.querySelector('.removed')?.innerText ?? null,
      innerText: text ? text.innerText : null,
      textContent: text ? text.textContent : null,
      elementsInText: text ? [...text.querySelectorAll('*')].map((element) => element.localName) : [],
      badge: article.querySelector('.signature')?.innerText ?? '',
      badgeVisible: (() => {
        const badge = article.querySelector('.signature');
        if (!badge) return false;
        const box = badge.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(badge).visibility !== 'hidden';
      })(),
    };
  }));
}

async function checkPosts(page, expected, where, spec) {
  const shown = await readPosts(page);
  const seqs = shown.map((post) => post.seq);
  check(JSON.stringify(seqs) === JSON.stringify(expected.map((post) => post.seq)),
        `${where}: posts ${JSON.stringify(seqs)}, expected ${JSON.stringify(expected.map((post) => post.seq))} (oldest first, newest last)`);
  for (const [i, want] of expected.entries()) {
    const post = shown[i];
    const name = `${where} post ${want.seq}`;
    check(post.id === `post-${want.seq}`, `${name}: id "${post.id}"`);
    check(post.signature === 'verified' || post.signature === 'invalid', `${name}: data-signature "${post.signature}"`);
    check(post.badgeVisible, `${name}: no visible signature badge`);
    check(post.elementsInText.every((element) => element === 'br'),
          `${name}: markup inside the text: <${post.elementsInText.filter((element) => element !== 'br').join('>, <')}>`);
    if (want.removed) {
      check(post.innerText === null, `${name}: a removed post still shows text`);
      check((post.removed ?? '').includes('removed'), `${name}: no "removed" note`);
      continue;
    }
    check(post.innerText === want.text, `${name}: shows ${JSON.stringify(post.innerText)}, expected ${JSON.stringify(want.text)}`);
    check(post.textContent === want.text.replaceAll('\n', ''), `${name}: text content ${JSON.stringify(post.textContent)}`);
    if (want.seq === spec.invalidSeq) {
      check(post.signature === 'invalid', `${name}: data-signature "${post.signature}", expected invalid`);
      check(/signature invalid/i.test(post.badge) && /do not trust/i.test(post.badge), `${name}: no warning, badge "${post.badge}"`);
    } else if (post.signature === 'verified') {
      check(/signed by/i.test(post.badge), `${name}: verified badge says "${post.badge}"`);
    }
  }
}

async function checkDocument(page, where) {
  const facts = await page.evaluate(() => ({
    scripts: document.querySelectorAll('script').length,
    handlers: [...document.querySelectorAll('*')].flatMap((element) =>
      [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((attribute) => `${element.localName}[${attribute.name}]`)),
    scriptLinks: [...document.querySelectorAll('[href],[src],[action]')].filter((element) =>
      /^\s*javascript:/i.test(element.getAttribute('href') ?? element.getAttribute('src') ?? element.getAttribute('action'))).length,
    viewport: document.querySelector('meta[name=viewport]')?.content ?? '',
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  check(facts.scripts === 0, `${where}: ${facts.scripts} <script> element(s) in the document`);
  check(facts.handlers.length === 0, `${where}: event handler attributes: ${facts.handlers.join(', ')}`);
  check(facts.scriptLinks === 0, `${where}: javascript: links`);
  check(facts.viewport.includes('width=device-width'), `${where}: no phone viewport`);
  check(facts.scrollWidth <= facts.width, `${where}: ${facts.scrollWidth}px wide on a ${facts.width}px phone: it scrolls sideways`);
}

// The newest page and the hostile post's page in `context`; with `strict`, everything else too.
async function checkPreview(context, spec, label, strict) {
  // Nothing leaves the server under test: had a payload become markup (an <img>, a <base>),
  // its request is refused here, and shows as a console error.
  await context.route((url) => url.origin !== new URL(spec.baseUrl).origin, (route) => route.abort());
  const page = await context.newPage();
  page.setDefaultTimeout(spec.timeoutMs);
  const seen = watch(page, label);
  const channelUrl = `${spec.baseUrl}/s/${spec.handle}`;

  await open(page, channelUrl, 200, spec);
  await seen.assertQuiet(channelUrl);
  await checkDocument(page, channelUrl);
  await checkPosts(page, spec.newestPosts, channelUrl, spec);
  const h1 = (await page.locator('h1').first().innerText()).trim();
  if (spec.title !== undefined) check(h1 === spec.title, `${channelUrl}: <h1> is ${JSON.stringify(h1)}, expected ${JSON.stringify(spec.title)}`);
  const feedLink = await page.$$eval('link[rel=alternate][type="application/atom+xml"]', (links) => links.map((link) => link.getAttribute('href')));
  check(feedLink.length === 1, `${channelUrl}: no <link rel="alternate" type="application/atom+xml">`);

  const hostileUrl = `${spec.baseUrl}/s/${spec.handle}/${spec.hostileSeq}`;
  await open(page, hostileUrl, 200, spec);
  await seen.assertQuiet(hostileUrl);
  await checkDocument(page, hostileUrl);
  const hostile = spec.newestPosts.find((post) => post.seq === spec.hostileSeq);
  await checkPosts(page, [hostile], hostileUrl, spec);
  const back = await page.$$eval('a', (links) => links.map((link) => link.getAttribute('href')));
  check(back.includes(`/s/${spec.handle}`), `${hostileUrl}: no link back to /s/${spec.handle}`);
  if (!strict) return page.close();

  if (spec.olderPosts.length > 0) {
    await open(page, channelUrl, 200, spec);
    const older = page.locator('a.older[rel=prev]');
    check(await older.count() === 1, `${channelUrl}: no "Older posts" link (a.older[rel=prev])`);
    const href = await older.getAttribute('href');
    check(/^\/s\/[a-z0-9_]+\?before=[1-9][0-9]*$/.test(href), `${channelUrl}: "Older posts" goes to "${href}"`);
    const olderUrl = new URL(href, spec.baseUrl).toString();
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url() === olderUrl && candidate.request().isNavigationRequest(), { timeout: spec.timeoutMs }),
      older.click({ timeout: spec.timeoutMs }),
    ]);
    await page.waitForLoadState('load', { timeout: spec.timeoutMs });
    check(response.status() === 200, `${olderUrl}: HTTP ${response.status()}`);
    checkHeaders(response, olderUrl, 'text/html');
    await seen.assertQuiet(olderUrl);
    await checkDocument(page, olderUrl);
    await checkPosts(page, spec.olderPosts, olderUrl, spec);
    check(await page.locator('a.newer[rel=next]').count() === 1, `${olderUrl}: no "Newer posts" link (a.newer[rel=next])`);
  }

  const missingUrl = `${spec.baseUrl}/s/${spec.missingHandle}`;
  await open(page, missingUrl, 404, spec);
  const missingH1 = (await page.locator('h1').first().innerText()).trim();
  check(missingH1 === 'Channel not found', `${missingUrl}: <h1> is ${JSON.stringify(missingH1)}, expected "Channel not found"`);
  check(await page.locator('article.post').count() === 0, `${missingUrl}: the 404 page shows posts`);
  // Chromium logs "Failed to load resource: ... 404" for the 404 page itself; nothing else may.
  seen.errors = seen.errors.filter((error) => !/Failed to load resource: the server responded with a status of 404/.test(error));
  await seen.assertQuiet(missingUrl);

  if (spec.checkFeed) await checkFeed(page, spec);

  await open(page, channelUrl, 200, spec);
  fs.mkdirSync(path.dirname(path.resolve(spec.screenshot)), { recursive: true });
  await page.screenshot({ path: spec.screenshot, fullPage: true, timeout: spec.timeoutMs });
  const size = fs.statSync(spec.screenshot).size;
  check(size > 1000, `${spec.screenshot}: only ${size} bytes`);
  await seen.assertQuiet(`${channelUrl} (screenshot)`);
  return page.close();
}

async function checkFeed(page, spec) {
  const feedUrl = `${spec.baseUrl}/s/${spec.handle}/feed.atom`;
  const response = await page.context().request.get(feedUrl, { timeout: spec.timeoutMs });
  check(response.status() === 200, `${feedUrl}: HTTP ${response.status()}`);
  checkHeaders(response, feedUrl, 'application/atom+xml');
  const xml = await response.text();
  const hostile = spec.newestPosts.find((post) => post.seq === spec.hostileSeq);
  const feed = await page.evaluate(({ source, suffix }) => {
    const doc = new DOMParser().parseFromString(source, 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    if (error) return { error: error.textContent };
    const atom = 'http://www.w3.org/2005/Atom';
    const root = doc.documentElement;
    const entries = [...doc.getElementsByTagNameNS(atom, 'entry')];
    const target = entries.find((entry) => entry.getElementsByTagNameNS(atom, 'id')[0]?.textContent.endsWith(suffix));
    return {
      root: `${root.namespaceURI} ${root.localName}`,
      required: ['id', 'title', 'updated'].filter((name) => ![...root.children].some((child) => child.localName === name)),
      entries: entries.length,
      markupInContent: entries.some((entry) => [...entry.getElementsByTagNameNS(atom, 'content')].some((content) => content.children.length > 0)),
      hostile: target ? target.getElementsByTagNameNS(atom, 'content')[0]?.textContent ?? null : null,
    };
  }, { source: xml, suffix: `/s/${spec.handle}/${spec.hostileSeq}` });
  check(!feed.error, `${feedUrl}: not well-formed XML: ${feed.error}`);
  check(feed.root === 'http://www.w3.org/2005/Atom feed', `${feedUrl}: root element is "${feed.root}", not an Atom feed`);
  check(feed.required.length === 0, `${feedUrl}: the feed lacks <${feed.required.join('>, <')}>`);
  check(feed.entries > 0, `${feedUrl}: no entries`);
  check(!feed.markupInContent, `${feedUrl}: an entry's content holds elements`);
  check(feed.hostile !== null, `${feedUrl}: no entry for post ${spec.hostileSeq}`);
  check(feed.hostile.endsWith(hostile.text), `${feedUrl}: post ${spec.hostileSeq}'s content is ${JSON.stringify(feed.hostile)}`);
}

async function main() {
  const spec = readSpec();
  const { chromium } = await loadPlaywright(spec.chromium);
  const watchdog = setTimeout(() => {
    console.error(`preview_check: FAIL: still running after ${spec.timeoutMs * 8} ms`);
    process.exit(1);
  }, spec.timeoutMs * 8);
  watchdog.unref();
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: spec.chromium, headless: true, args: chromiumArgs, timeout: spec.timeoutMs,
    });
  } catch (error) {
    throw new SetupFailed(`cannot start ${spec.chromium}: ${error.message}`);
  }
  try {
    // As served: the CSP in force.
    const context = await browser.newContext({ ...phone, ignoreHTTPSErrors: true });
    await checkPreview(context, spec, 'with CSP', true);
    await context.close();
    // CSP bypassed: had escaping failed, a payload would run here, and be seen.
    const bare = await browser.newContext({ ...phone, ignoreHTTPSErrors: true, bypassCSP: true });
    await checkPreview(bare, spec, 'CSP bypassed', false);
    await bare.close();
  } finally {
    await browser.close();
  }
  console.log(`preview_check: OK: ${checks} checks on ${spec.baseUrl}/s/${spec.handle} (Chromium ${browser.version()})`);
  console.log(`preview_check: screenshot ${path.resolve(spec.screenshot)}`);
}

main().then(() => process.exit(0), (error) => {
  if (error instanceof CheckFailed) {
    console.error(`preview_check: FAIL: ${error.message}`);
    process.exit(1);
  }
  console.error(`preview_check: FAIL: ${error instanceof SetupFailed ? error.message : error.stack ?? error}`);
  process.exit(error instanceof SetupFailed ? 2 : 1);
});
