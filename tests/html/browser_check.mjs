// Loads a `kprof report` page in headless Chromium (Debian's /usr/bin/chromium, driven by
// puppeteer-core) with the network off, and checks it the way a reader would see it:
//   - no console error, no uncaught exception, no request but the page itself;
//   - every chart rendered, with as many marks as the Run documents have results (counted in each
//     chart's Vega scenegraph and in the SVG it drew), every table row present;
//   - the texts the caller expects (notes for what is missing) visible in the page.
// Expectations come from the Run documents themselves (--run), never from the page's own data blob.
//
// node browser_check.mjs --page DIR/index.html [--run DIR/run.json] [--expect-text TEXT]...
//                        [--expect-chart-text TEXT]... [--expect-hottest FUNCTION:KIND:LINE]... [--expect-marks CHART:MARK:N]...
//                        [--expect-frame CHART:FUNCTION]... [--expect-diff-root CHART:LABEL:BASE:NOW]...
//                        [--screenshot FILE.png] [--top-screenshot FILE.png]
// --expect-frame: the flame graph CHART has a frame named FUNCTION, drawn (wider than zero).
// --expect-diff-root: the differential flame graph CHART, with the profile whose label contains LABEL
//   chosen in its menu, holds BASE and NOW per call at its root (within 0.5%).
// Exit 0 when every check passed, 1 with every failed check listed otherwise.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {launchOfflineChromium} from '../support/offline_chromium.mjs';

function parseArgs(argv) {
  const args = {texts: [], chartTexts: [], hottest: [], marks: [], frames: [], diffRoots: [], runs: []};
  for (let i = 2; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error('missing value for ' + flag);
    if (flag === '--page') args.page = path.resolve(value);
    else if (flag === '--run') args.runs.push(path.resolve(value));
    else if (flag === '--expect-text') args.texts.push(value);
    else if (flag === '--expect-chart-text') args.chartTexts.push(value);
    else if (flag === '--expect-hottest') args.hottest.push(value);
    else if (flag === '--expect-marks') args.marks.push(value);
    else if (flag === '--expect-frame') args.frames.push(value);
    else if (flag === '--expect-diff-root') args.diffRoots.push(value);
    else if (flag === '--screenshot') args.screenshot = path.resolve(value);
    else if (flag === '--top-screenshot') args.topScreenshot = path.resolve(value);
    else throw new Error('unknown option ' + flag);
  }
  if (!args.page) throw new Error('--page is required');
  return args;
}

const failures = [];
let passed = 0;
function check(ok, what) {
  if (ok) passed += 1;
  else failures.push(what);
}


// The items of the marks named `mark` in a chart's scenegraph (each with its datum's status and
// the text it shows), and how many SVG elements were drawn for them.
function marks(chart, mark) {
  const view = window.kprofViews[chart];
  if (!view) return {items: [], svg: -1};
  const items = [];
  (function walk(node) {
    if (node.marktype && node.name === mark)
      for (const item of node.items) items.push({status: item.datum && item.datum.status, text: item.text});
    for (const item of node.items || []) walk(item);
  })(view.scenegraph().root);
  const holder = document.querySelector('[data-chart="' + chart + '"]');
  const svg = holder ? holder.querySelectorAll('g.' + CSS.escape(mark) + ' > *').length : -1;
  return {items, svg};
}

// Per family: timed results, results in a (size, dtype) with a timed variant (those are charted;
// the others are said in a note), and how many are wrong, failed, skipped.
function expectedCounts(runFiles) {
  const families = new Map();
  let roofline = 0;
  const results = runFiles.flatMap((file) => JSON.parse(fs.readFileSync(file, 'utf8')).results);
  const caseOf = (r) => r.family + ' ' + JSON.stringify(r.size) + ' ' + r.dtype;
  const timedCases = new Set(results.filter((r) => r.status === 'ok').map(caseOf));
  for (const r of results) {
    const f = families.get(r.family) || {ok: 0, charted: 0, all: 0, wrong: 0, failed: 0, skipped: 0};
    if (r.status === 'ok') f.ok += 1;
    else f[r.status] += 1;
    if (timedCases.has(caseOf(r))) f.charted += 1;
    f.all += 1;
    families.set(r.family, f);
    if (r.status === 'ok' && r.flops > 0 && r.bytes > 0 && r.gflops > 0) roofline += 1;
  }
  // A family, dtype and thread count timed at two sizes or more has a sweep chart with a point per timed result.
  const sweeps = new Map();
  for (const r of results.filter((r) => r.status === 'ok')) {
    // One size sweep per thread count when a run swept threads too (documents before it: 1 thread).
    const [threads, blas] = [r.threads || 1, r.blas_threads || 1];
    const chart = 'sweep-' + r.family + '-' + r.dtype + (threads !== 1 || blas !== 1 ? '-t' + threads + 'b' + blas : '');
    const s = sweeps.get(chart) || {points: 0, sizes: new Set()};
    s.points += 1;
    s.sizes.add(JSON.stringify(r.size));
    sweeps.set(chart, s);
  }
  const swept = new Map([...sweeps].filter(([, s]) => s.sizes.size >= 2).map(([c, s]) => [c, s.points]));
  return {families, roofline, sweeps: swept};
}

async function checkMarks(page, expected) {
  for (const [family, want] of expected.families) {
    const chart = 'variants-' + family;
    const bars = await page.evaluate(marks, chart, 'bars_marks');
    const drawn = want.charted ? want.ok : -1;  // no chart at all when nothing of the family was timed
    check(bars.items.length === want.ok && bars.svg === drawn,
          `${chart}: ${want.ok} bars (one per timed variant) expected, scenegraph ${bars.items.length}, SVG ${bars.svg}`);
    const labels = await page.evaluate(marks, chart, 'labels_marks');
    const statusShown = labels.items.filter((l) => l.status !== 'ok' && String(l.text).startsWith(l.status));
    check(labels.items.length === want.charted && statusShown.length === want.charted - want.ok,
          `${chart}: a label per charted variant (${want.charted}), ${want.charted - want.ok} of them saying ` +
          `wrong/failed/skipped, expected; got ${labels.items.length} and ${statusShown.length}`);
    const rows = await page.evaluate((f) => {
      const table = document.querySelector('#variants-' + CSS.escape(f) + ' ~ details table');
      if (!table) return null;
      const count = (status) => table.querySelectorAll('tbody tr.status-' + status).length;
      return {all: table.tBodies[0].rows.length, wrong: count('wrong'), failed: count('failed'), skipped: count('skipped')};
    }, family);
    check(rows && rows.all === want.all && rows.wrong === want.wrong && rows.failed === want.failed &&
          rows.skipped === want.skipped,
          `${chart}: table of ${want.all} rows (${want.wrong} wrong, ${want.failed} failed, ${want.skipped} skipped) ` +
          `expected, got ${JSON.stringify(rows)}`);
  }
  for (const [chart, want] of expected.sweeps) {
    const points = await page.evaluate(marks, chart, 'points_marks');
    check(points.items.length === want && points.svg === want,
          `${chart}: ${want} points (one per timed variant and size) expected, scenegraph ${points.items.length}, SVG ${points.svg}`);
  }
  if (expected.families.size) {
    const points = await page.evaluate(marks, 'roofline', 'points_marks');
    check(points.items.length === expected.roofline && points.svg === expected.roofline,
          `roofline: ${expected.roofline} points expected, scenegraph ${points.items.length}, SVG ${points.svg}`);
  }
}

// The frames of a flame graph as its Vega view laid them out (name, x0, x1, base, now).
function flameFrames(chart) {
  const view = window.kprofViews[chart];
  if (!view) return null;
  return view.data('frames').map((f) => ({name: f.name, parent: f.parent, width: f.x1 - f.x0, base: f.base, now: f.now}));
}

async function checkFlames(page, args) {
  for (const want of args.diffRoots) {
    const parts = want.split(':');
    const [chart, label, base, now] = [parts[0], parts.slice(1, -2).join(':'), parts.at(-2), parts.at(-1)];
    const chosen = await page.evaluate((chart, label) => {
      const select = document.querySelector(`select[data-flame-select="${chart}"]`);
      const option = select && [...select.options].find((o) => o.text.includes(label));
      if (!option) return false;
      window.kprofPreviousView = window.kprofViews[chart];
      if (select.value !== option.value) {
        select.value = option.value;
        select.dispatchEvent(new Event('change'));
      } else {
        window.kprofPreviousView = null;
      }
      return true;
    }, chart, label);
    check(chosen, `${chart}: a profile labelled "...${label}..." to choose`);
    if (!chosen) continue;
    await page.waitForFunction((chart) => window.kprofViews[chart] && window.kprofViews[chart] !== window.kprofPreviousView,
                               {timeout: 60000}, chart);
    const frames = await page.evaluate(flameFrames, chart);
    const root = frames && frames.find((f) => f.parent === null);
    const near = (a, b) => Math.abs(a - Number(b)) <= 0.005 * Number(b);
    check(root && near(root.base, base) && near(root.now, now),
          `${chart} "${label}": root with ${base} per call in the base and ${now} now expected, got ${JSON.stringify(root)}`);
  }
  for (const want of args.frames) {
    const [chart, name] = [want.slice(0, want.indexOf(':')), want.slice(want.indexOf(':') + 1)];
    const frames = await page.evaluate(flameFrames, chart);
    const frame = frames && frames.find((f) => f.name === name);
    check(frame && frame.width > 0, `${chart}: a frame named "${name}" drawn; frames: ` +
          (frames ? frames.map((f) => f.name).slice(0, 12).join(' | ') : 'no such chart'));
  }
}

async function main() {
  const args = parseArgs(process.argv);
  const browser = await launchOfflineChromium();
  try {
    const page = await browser.newPage();
    await page.setViewport({width: 1400, height: 1000});
    await page.setOfflineMode(true);
    const pageUrl = 'file://' + args.page;
    const problems = [], requests = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push(m.type() + ': ' + m.text()); });
    page.on('pageerror', (e) => problems.push('uncaught: ' + e.message));
    page.on('request', (r) => { if (r.url() !== pageUrl) requests.push(r.url()); });
    const started = Date.now();
    await page.goto(pageUrl, {waitUntil: 'load', timeout: 120000});
    await page.waitForFunction(() => document.body.dataset.kprofReady || document.body.dataset.kprofState,
                               {timeout: 120000});
    const ready = Date.now() - started;
    await page.waitForFunction(() => document.body.dataset.kprofState, {timeout: 120000});
    // From asking for the page to the first screen's charts drawn, and to every chart drawn (the
    // page draws the others in the background; docs/PERFORMANCE.md quotes both for the main job).
    console.log(`page ready in ${ready} ms (first screen drawn); every chart drawn in ${Date.now() - started} ms`);
    const state = await page.evaluate(() => document.body.dataset.kprofState);
    check(state === 'done', `every chart rendered (page state "${state}")`);
    check(problems.length === 0, 'no console errors or warnings; got:\n    ' + problems.join('\n    '));
    check(requests.length === 0, 'no request but the page itself; got:\n    ' + requests.join('\n    '));
    const errorNotes = await page.$$eval('.kprof-error', (ns) => ns.map((n) => n.textContent));
    check(errorNotes.length === 0, 'no error note on the page; got: ' + errorNotes.join(' | '));
    const text = await page.evaluate(() => document.body.innerText);
    check(text.length > 200, 'the page shows text (not blank)');
    for (const want of args.texts) check(text.includes(want), `the page says "${want}"`);
    await checkFlames(page, args);
    // Text drawn inside the charts' SVG (flame graph frames, axis labels): not in innerText.
    const chartText = await page.$$eval('svg text', (ts) => ts.map((t) => t.textContent).join('\n'));
    for (const want of args.chartTexts) check(chartText.includes(want), `a chart draws "${want}"`);
    // FUNCTION:KIND:LINE — the annotated source of FUNCTION names LINE as the hottest of a KIND column
    // (ns, Ir, samples, bytes), that line's row is in its table, and the table starts with its hottest line.
    for (const want of args.hottest) {
      const [fn, kind, line] = want.split(':');
      const found = await page.evaluate((fn, kind) => {
        const views = [...document.querySelectorAll('details.kprof-source')].filter((d) => d.dataset.function === fn);
        const view = views.find((d) => d.querySelector(`li[data-hottest-kind="${kind}"]`));
        if (!view) return {views: views.length};
        const item = view.querySelector(`li[data-hottest-kind="${kind}"]`);
        const line = item.dataset.line;
        const hottest = [...view.querySelectorAll('li[data-hottest-kind]')].map((li) => li.dataset.line);
        const first = view.querySelector('tbody tr');
        return {line, row: !!view.querySelector(`tr[data-line="${line}"]`), first: first && first.dataset.line, hottest};
      }, fn, kind);
      check(found.line === line && found.row, `the annotated source of ${fn} names line ${line} the hottest by ${kind}` +
            ` (found ${JSON.stringify(found)})`);
      check(found.hottest && found.hottest.includes(found.first),
            `the annotated source of ${fn} starts with a hottest line (found ${JSON.stringify(found)})`);
    }
    await checkMarks(page, expectedCounts(args.runs));
    // CHART:MARK:N — the chart draws N marks of its layer MARK (e.g. a sweep's crossover rules).
    for (const want of args.marks) {
      const [chart, mark, n] = want.split(':');
      const got = await page.evaluate(marks, chart, mark + '_marks');
      check(got.items.length === Number(n) && got.svg === Number(n),
            `${chart}: ${n} ${mark} expected, scenegraph ${got.items.length}, SVG ${got.svg}`);
    }
    if (args.screenshot) await page.screenshot({path: args.screenshot, fullPage: true});
    if (args.topScreenshot) await page.screenshot({path: args.topScreenshot});  // the first screen (README)
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.error(`browser check of ${args.page}: ${failures.length} failed, ${passed} passed:`);
    for (const f of failures) console.error('  FAILED: ' + f);
    process.exit(1);
  }
  console.log(`browser check of ${args.page}: ${passed} checks passed`);
}

main().catch((e) => { console.error('browser check: ' + (e.stack || e)); process.exit(1); });
