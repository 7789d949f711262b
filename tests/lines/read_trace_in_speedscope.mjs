// Reads a `kprof lines --trace` file (Chrome trace-event JSON) with a real reader of the format:
// speedscope 1.25.0 (node_modules/speedscope, its bundled app) in headless Chromium with the
// network off, the file given to speedscope's own file input as a user's "Browse" would. Then it
// reads back, from the page, what speedscope made of it:
//   - one profile per (pid, tid), each with the name speedscope shows in its toolbar (process and
//     thread names from the "M" events), switched between with its own "n" key;
//   - every row of each profile's Sandwich table (symbol, total, self as shown, and in ns). The table
//     is virtualised (only the rows on screen exist), so it is scrolled from top to bottom and the
//     rows counted against the table's full height. Shown values have 3 to 5 significant digits
//     ("1.01ms", "650.50µs"), so the ns values are only as exact as that. speedscope names a symbol
//     `name JSON(args)`: events differing in args are different rows.
// Failure (exit 1, reasons on stderr), all signs speedscope gives of a file it could not read well:
//   - it did not import the file as "Trace Event Format": another importer took it (truncated JSON is
//     read as collapsed stacks), an "Unrecognized format!" alert (bad JSON, no events, an X event
//     without ts), an "...it's empty!" alert (metadata only), "Something went wrong" (the importer threw);
//   - any console warning or error (its importer warns, and carries on, when an event ends out of
//     nesting order or is still open at the end), any uncaught exception, "NaN" shown anywhere;
//   - a request that is not file:, data: or blob: (everything is local);
//   - a profile with no rows, or rows missed while scrolling.
// speedscope silently coerces a numeric string "ts" and takes a missing "dur" as 0, so X events
// whose ts or dur is not a number >= 0 are checked here, in the file itself: stricter readers refuse them.
//
// node read_trace_in_speedscope.mjs --trace FILE.json --out RESULT.json [--screenshot FILE.png]
// RESULT.json: {profiles: [{name, rows: [{name, total_ns, self_ns, total_text, self_text}]}],
//               console_errors, console_ignored (Chromium's software-WebGL notes), page_errors, requests,
//               dialogs (speedscope's alerts), failures}
// Exit 0 when speedscope imported the file cleanly, 1 otherwise, 2 on bad arguments.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {launchOfflineChromium} from '../support/offline_chromium.mjs';

const USAGE = 'usage: node read_trace_in_speedscope.mjs --trace FILE.json --out RESULT.json [--screenshot FILE.png]';
const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)),
                         '../../node_modules/speedscope/dist/release/index.html');
// Chromium's own notes about its software WebGL (speedscope draws with WebGL), not speedscope's.
const GL_NOISE = /GL Driver Message|fallback to software WebGL/;

function parseArgs(argv) {
  const args = {};
  for (let i = 2; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error('missing value for ' + flag);
    if (flag === '--trace') args.trace = path.resolve(value);
    else if (flag === '--out') args.out = path.resolve(value);
    else if (flag === '--screenshot') args.screenshot = path.resolve(value);
    else throw new Error('unknown option ' + flag);
  }
  if (!args.trace || !args.out) throw new Error('--trace and --out are required');
  if (!fs.existsSync(args.trace)) throw new Error('no such file: ' + args.trace);
  return args;
}

const failures = [];
function check(ok, what) {
  if (!ok) failures.push(what);
}

// What speedscope lets through but the format does not allow: complete events whose ts or dur is
// not a number, or whose dur is negative. Unparsable JSON is left to speedscope to refuse.
function checkEventTypes(file) {
  let trace;
  try { trace = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return; }
  const bad = (trace.traceEvents || []).filter((e) => e.ph === 'X' &&
    (typeof e.ts !== 'number' || typeof e.dur !== 'number' || !(e.dur >= 0)));
  check(bad.length === 0, `${bad.length} X events with a ts or dur not a number >= 0, first: ${JSON.stringify(bad[0])}`);
}


// "650.50µs (64%)" -> ns; speedscope shows m:ss from a minute up, else s, ms, µs or ns with 2 decimals.
function toNs(text) {
  const clock = /^(\d+):(\d\d)$/.exec(text);
  if (clock) return (Number(clock[1]) * 60 + Number(clock[2])) * 1e9;
  const m = /^([\d.]+)(s|ms|µs|ns)$/.exec(text);
  return m ? Number(m[1]) * {s: 1e9, ms: 1e6, 'µs': 1e3, ns: 1}[m[2]] : null;
}

// The toolbar's middle, after the view buttons: the profile's name, then "(i/N)" when there are
// several profiles (a span with its own hidden menu of profiles), a bare text node when only one.
function profileTitle() {
  const button = [...document.querySelectorAll('div')].find((d) => d.textContent.endsWith('Time Order') && d.children.length === 1);
  const middle = button && button.parentElement.nextSibling;
  if (!middle) return null;
  if (middle.nodeType === Node.TEXT_NODE) return {name: middle.textContent.trim(), index: 1, count: 1};
  const title = middle.querySelector('span'), counter = title.querySelector('span');
  const [index, count] = counter.textContent.replace(/[()]/g, '').split('/').map(Number);
  return {name: title.firstChild.textContent.trim(), index, count};
}

// The Sandwich table: a header table (Total, Self, Symbol Name), then the scrolled list of rows.
function sandwichShown() {
  return [...document.querySelectorAll('th')].some((t) => t.textContent === 'Symbol Name');
}

// Scrolls the Sandwich list from top to bottom, collecting each row as it is rendered.
async function readSandwich(page) {
  const rows = new Map();
  let expected = null;
  for (let top = 0; ; ) {
    const got = await page.evaluate(async (top) => {
      const th = [...document.querySelectorAll('th')].find((t) => t.textContent === 'Symbol Name');
      const list = th && th.closest('table').nextElementSibling;
      if (!list) return null;
      list.scrollTop = top;
      list.dispatchEvent(new Event('scroll'));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const trs = [...list.querySelectorAll('tr')];
      const rowHeight = trs.length ? trs[0].getBoundingClientRect().height : 1;
      return {rows: trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())),
              count: Math.round(list.firstElementChild.getBoundingClientRect().height / rowHeight),
              top: list.scrollTop, view: list.clientHeight, height: list.scrollHeight};
    }, top);
    if (!got) return {rows: [], expected: -1};
    expected = got.count;
    for (const [total, self, name] of got.rows) {
      const [totalText, selfText] = [total, self].map((t) => t.replace(/ \([<>]?[\d.]+%\)$/, ''));
      rows.set(name, {name, total_ns: toNs(totalText), self_ns: toNs(selfText), total_text: totalText, self_text: selfText});
    }
    if (got.top + got.view >= got.height - 1) break;
    top = got.top + Math.max(1, got.view - 40);  // overlap a little: a row half on screen is read twice
  }
  return {rows: [...rows.values()], expected};
}

async function main() {
  let args;
  try { args = parseArgs(process.argv); } catch (e) { console.error(e.message + '\n' + USAGE); process.exit(2); }
  checkEventTypes(args.trace);
  const result = {profiles: [], console_errors: [], console_ignored: [], page_errors: [], requests: [], dialogs: []};
  const logs = [];
  const browser = await launchOfflineChromium();
  try {
    const page = await browser.newPage();
    await page.setViewport({width: 1400, height: 1000});
    await page.setOfflineMode(true);
    page.on('console', (m) => {
      logs.push(m.text());
      if (m.type() !== 'error' && m.type() !== 'warn') return;
      (GL_NOISE.test(m.text()) ? result.console_ignored : result.console_errors).push(m.type() + ': ' + m.text());
    });
    page.on('pageerror', (e) => result.page_errors.push(e.message));
    page.on('request', (r) => { if (!/^(file|data|blob):/.test(r.url())) result.requests.push(r.url()); });
    // speedscope says "Unrecognized format!" or "...but it's empty!" in an alert.
    page.on('dialog', (d) => { result.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    await page.goto('file://' + APP, {waitUntil: 'load', timeout: 120000});
    const input = await page.waitForSelector('input#file', {timeout: 60000});
    await input.uploadFile(args.trace);
    // Done when speedscope ends its "import" timer, shows its error, alerts, or logs a failed import.
    const started = Date.now();
    while (!logs.some((l) => l.startsWith('import:') || l.startsWith('Failed to load format')) && !result.dialogs.length &&
           !(await page.evaluate(() => document.body.innerText.includes('Something went wrong')))) {
      if (Date.now() - started > 600000) throw new Error('speedscope did not finish importing in 10 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 500));  // let it draw, and any late warning arrive
    const failedLoad = logs.find((l) => l.startsWith('Failed to load format'));
    const wentWrong = await page.evaluate(() => document.body.innerText.includes('Something went wrong'));
    check(!failedLoad && !wentWrong, 'speedscope failed to import the file ("Something went wrong"): ' + failedLoad);
    check(!result.dialogs.length, 'speedscope alerted: ' + result.dialogs.join(' | '));
    check(logs.includes('Importing as Trace Event Format profile'),
          'speedscope did not read the file as Trace Event Format; it said: ' +
          (logs.filter((l) => l.startsWith('Importing')).join(', ') || 'nothing'));
    if (failures.length === 0 || logs.some((l) => l.startsWith('import:'))) {
      if (args.screenshot) await page.screenshot({path: args.screenshot});  // Time Order of the first profile
      await page.keyboard.press('3');  // speedscope's key for the Sandwich view
      await page.waitForFunction(sandwichShown, {timeout: 60000});
      const first = await page.evaluate(profileTitle);
      check(first && first.index === 1, 'the toolbar names the profile shown: ' + JSON.stringify(first));
      for (let i = 1; first && i <= first.count; i++) {
        if (i > 1) {
          await page.keyboard.press('n');  // speedscope's key for the next profile
          await page.waitForFunction(`(${profileTitle})().index === ${i}`, {timeout: 60000});
        }
        const name = (await page.evaluate(profileTitle)).name;
        const {rows, expected} = await readSandwich(page);
        result.profiles.push({name, rows});
        check(rows.length > 0 && rows.length === expected,
              `profile ${i} "${name}": ${expected} Sandwich rows shown, ${rows.length} read`);
        check(rows.every((r) => r.total_ns !== null && r.self_ns !== null),
              `profile ${i} "${name}": a total or self not read as a duration: ` +
              JSON.stringify(rows.find((r) => r.total_ns === null || r.self_ns === null)));
        check(!(await page.evaluate(() => document.body.innerText.includes('NaN'))), `profile ${i} "${name}": "NaN" shown`);
      }
    }
  } finally {
    await browser.close();
  }
  check(result.console_errors.length === 0, 'console warnings or errors:\n    ' + result.console_errors.slice(0, 20).join('\n    '));
  check(result.page_errors.length === 0, 'uncaught exceptions:\n    ' + result.page_errors.join('\n    '));
  check(result.requests.length === 0, 'requests that are not local:\n    ' + result.requests.join('\n    '));
  result.failures = failures;
  fs.writeFileSync(args.out, JSON.stringify(result, null, 1) + '\n');
  if (failures.length) {
    console.error(`speedscope read of ${args.trace}: ${failures.length} problems:`);
    for (const f of failures) console.error('  FAILED: ' + f);
    process.exit(1);
  }
  console.log(`speedscope read ${args.trace}: ${result.profiles.length} profiles, ` +
              result.profiles.map((p) => `"${p.name}" ${p.rows.length} rows`).join(', '));
}

main().catch((e) => { console.error('read_trace_in_speedscope: ' + (e.stack || e)); process.exit(1); });
