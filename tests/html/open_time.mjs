// How fast a kprof page opens (docs/PERFORMANCE.md): N loads, each in a freshly started Chromium
// (cold), then N in new tabs of one running Chromium (warm, its first load left out). Prints the wall
// time from goto to the first screen drawn and the page's own clock (navigation start to
// body[data-kprof-ready]), each with its median.
// Usage: node tests/html/open_time.mjs PAGE.html [N]
import path from 'node:path';
import process from 'node:process';
import puppeteer from 'puppeteer-core';

const args = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'];
async function load(browser, page_path) {
  const page = await browser.newPage();
  await page.setViewport({width: 1280, height: 900});
  await page.setOfflineMode(true);
  const t0 = Date.now();
  await page.goto('file://' + page_path, {waitUntil: 'load'});
  await page.waitForFunction(() => document.body.dataset.kprofReady, {polling: 10});
  const wall = Date.now() - t0;
  const own = Number(await page.evaluate(() => document.body.dataset.kprofReady));
  await page.close();
  return [wall, own];
}
(async () => {
  const page_path = path.resolve(process.argv[2]), n = Number(process.argv[3] || 5);
  const cold = [];
  for (let i = 0; i < n; ++i) {
    const b = await puppeteer.launch({executablePath: process.env.KPROF_CHROMIUM || '/usr/bin/chromium', headless: true, args});
    cold.push(await load(b, page_path));
    await b.close();
  }
  const b = await puppeteer.launch({executablePath: process.env.KPROF_CHROMIUM || '/usr/bin/chromium', headless: true, args});
  await load(b, page_path);
  const warm = [];
  for (let i = 0; i < n; ++i) warm.push(await load(b, page_path));
  await b.close();
  const med = (xs) => xs.slice().sort((a, c) => a - c)[Math.floor(xs.length / 2)];
  for (const [name, rs] of [['cold', cold], ['warm', warm]])
    console.log(name, 'wall', JSON.stringify(rs.map((r) => r[0])), 'median', med(rs.map((r) => r[0])),
                '| page clock', JSON.stringify(rs.map((r) => r[1])), 'median', med(rs.map((r) => r[1])));
})();
