// Drives Debian's Chromium (headless) through Bytekeep's web console as an operator would: opens the console, is sent
// to the login form, logs in, opens Hawtio's route diagram of one route and then of a timer route, and reports what
// the diagram draws (each node's label, id, exchanges in flight and total) as one JSON line. ConsoleBrowserIT checks
// it against what it did to the service. Settings from the environment: BASE (http://host:port), CONSOLE_USER,
// CONSOLE_PASSWORD, ROUTE (its diagram is checked and shot), EXPECTED (the total its first node must reach),
// LIVE_ROUTE (a timer route whose counts must grow while the page is open), SHOTS (directory for the screenshots).
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const base = env('BASE');
const shots = env('SHOTS');
const expected = Number(env('EXPECTED'));
const wait = { timeout: 60_000 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // the machine has no network beyond localhost: no background fetches, no component updates
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const report = { failedRequests: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('response', (response) => {
    if (response.status() >= 400) report.failedRequests.push(`${response.status()} ${response.url()}`);
  });

  await page.goto(`${base}/actuator/hawtio/`);
  report.loginPage = new URL(page.url()).pathname;
  await page.fill('#username', env('CONSOLE_USER'));
  await page.fill('#password', env('CONSOLE_PASSWORD'));
  await Promise.all([page.waitForURL('**/actuator/hawtio/**', wait), page.click('button[type=submit]')]);
  report.landing = new URL(page.url()).pathname;
  const cookie = (await page.context().cookies()).find((c) => c.name === 'bytekeep_console');
  report.cookie = cookie && { httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, path: cookie.path };

  const route = env('ROUTE');
  await openDiagram(page, route);
  await page.waitForFunction((total) => firstNodeTotal() === total, expected, wait).catch(() => {});
  report.route = { id: route, nodes: await nodes(page) };
  await page.screenshot({ path: join(shots, 'console-route-diagram.png') });

  const live = env('LIVE_ROUTE');
  await openDiagram(page, live);
  // drawn first with no statistics; a timer route has run before the page opened
  await page.waitForFunction(() => firstNodeTotal() > 0, null, wait);
  const before = (await nodes(page))[0].total;
  await page.waitForFunction((total) => firstNodeTotal() > total, before, wait).catch(() => {});
  report.live = { id: live, before, after: (await nodes(page))[0].total };
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));

/** Picks the route in Hawtio's Camel tree and opens its Route Diagram tab; waits until its nodes are drawn. */
async function openDiagram(page, id) {
  const drawn = JSON.stringify((await nodes(page)).map((node) => node.label));
  await page.getByText(id, { exact: true }).first().click();
  await page.getByRole('heading', { name: id, exact: true }).waitFor(wait);
  await page.getByText('Route Diagram', { exact: true }).first().click();
  await page.evaluate(() => {
    // what the waits poll in the page: the labels of the nodes drawn, the exchanges total of the route's first node
    window.labels = () => JSON.stringify([...document.querySelectorAll('.react-flow__node-camel .camel-node-label')]
      .map((label) => label.textContent));
    window.firstNodeTotal = () => Number(document.querySelector('.react-flow__node-camel .number')?.textContent);
  });
  // the previous route's diagram stays until this one is drawn
  await page.waitForFunction((previous) => labels() !== '[]' && labels() !== previous, drawn, wait);
}

/** What the diagram draws: each node's label, step id, exchanges in flight and total. */
async function nodes(page) {
  return page.locator('.react-flow__node-camel').evaluateAll((all) => all.map((node) => ({
    label: node.querySelector('.camel-node-label')?.textContent ?? '',
    id: (node.querySelector('.camel-node-id')?.textContent ?? '').replace(/^\s*\(ID:\s*|\)\s*$/g, ''),
    inflight: Number(node.querySelector('.inflights')?.textContent),
    total: Number(node.querySelector('.number')?.textContent),
  })));
}
