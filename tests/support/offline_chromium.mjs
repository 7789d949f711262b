// Debian's headless Chromium (or $KPROF_CHROMIUM) driven by puppeteer-core, with every route to a
// network closed: no proxy that answers, no DNS. The pages kprof's tests open (the report, speedscope)
// must work offline; the callers also record any request that is not local.
import process from 'node:process';
import puppeteer from 'puppeteer-core';

export async function launchOfflineChromium() {
  return puppeteer.launch({
    executablePath: process.env.KPROF_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 120000,  // a loaded machine (the suite runs in parallel) starts Chromium slowly
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
           '--proxy-server=127.0.0.1:9', '--host-resolver-rules=MAP * ~NOTFOUND',
           '--window-size=1400,1000', '--lang=en-US'],
  });
}
