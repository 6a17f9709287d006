// Opens a Prometheus server's graph page with the given expressions, one panel each, and takes a screenshot once
// every panel has drawn its graph: the panels of ops/grafana/bytekeep-dashboard.json as Prometheus draws them from a
// live instance (OpsMetricNamesIT; Grafana itself is not available to this build). Settings from the environment:
// PROMETHEUS (http://host:port), EXPRESSIONS (a JSON array), RANGE (e.g. 5m), SHOT (the screenshot's file).
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const expressions = JSON.parse(env('EXPRESSIONS'));
const query = expressions.map((expr, i) => `g${i}.expr=${encodeURIComponent(expr)}&g${i}.tab=0`
  + `&g${i}.range_input=${env('RANGE')}&g${i}.show_exemplars=0`).join('&');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const report = {};
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 420 * expressions.length } });
  await page.goto(`${env('PROMETHEUS')}/graph?${query}`);
  // the page's fixed navigation bar would cover a panel in the middle of a full-page screenshot
  await page.addStyleTag({ content: '.navbar { position: static !important; }' });
  // each panel (Debian's Prometheus 2.42 serves its classic page) has drawn a graph with a legend once its query answered
  const drawn = () => [...document.querySelectorAll('.graph_wrapper')]
    .filter((panel) => panel.querySelector('.rickshaw_graph svg path') && panel.querySelector('.rickshaw_legend .line'))
    .length;
  await page.waitForFunction(([count, drawnPanels]) => new Function(`return (${drawnPanels})()`)() >= count,
    [expressions.length, drawn.toString()], { timeout: 60_000 });
  report.panels = await page.evaluate(drawn);
  report.errors = (await page.locator('.alert-danger').allInnerTexts()).filter((text) => text.trim() !== '');
  await page.screenshot({ path: env('SHOT'), fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
