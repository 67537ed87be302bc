// Browser side of bench/dashboard.py: times pages of the dashboard and of the references in Debian's Chromium.
// usage (from tests/browser, for playwright-core): node ../../bench/dashboard.mjs SPEC_JSON; prints one JSON line.
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), "package.json"));
const { chromium } = require("playwright-core");
const spec = JSON.parse(process.argv[2]);
const { base } = spec;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN; };

/** A fresh, signed-in context: nothing cached, so a page's first render includes loading its code. */
async function signedIn() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const r = await context.request.post(`${base}/api/auth/session`, {
    data: { username: spec.user, password: spec.password }, headers: { Origin: base },
  });
  if (!r.ok()) throw new Error(`sign-in: ${r.status()}`);
  return { context, page: await context.newPage() };
}

/** Seconds from starting the navigation to `ready` holding. */
async function timed(url, ready) {
  const { context, page } = await signedIn();
  const t0 = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  await ready(page);
  const s = (Date.now() - t0) / 1000;
  return { s, page, context };
}

/** Frame intervals (ms) while the element's scroll position moves down by `step` pixels each frame. */
async function scrollFrames(page, selector, frames = 150) {
  return await page.evaluate(async ([sel, n]) => {
    const root = document.querySelector(sel);
    const candidates = [root, ...root.querySelectorAll("*")].filter((e) => e && e.scrollHeight > e.clientHeight + 10
      && ["auto", "scroll"].includes(getComputedStyle(e).overflowY));
    const el = candidates[0] || document.scrollingElement;
    const step = Math.max(200, Math.floor(el.scrollHeight / (n + 5)));
    el.scrollTop = 0;
    const out = [];
    let last = await new Promise(requestAnimationFrame);
    for (let i = 0; i < n; i++) {
      el.scrollTop += step;
      const now = await new Promise(requestAnimationFrame);
      out.push(now - last);
      last = now;
    }
    return out;
  }, [selector, frames]);
}

const m = {};
const rounds = spec.rounds;
const ov = [], mlh = [], rr = [], rm = [], rs = [], ll = [], lp = [];
let frames = [], plainFrames = [];
for (let i = 0; i < rounds; i++) {
  // Overview: health, workers and the latest runs on screen
  let t = await timed(`${base}/`, async (page) => {
    await page.locator('[data-testid="overview-health"]').waitFor({ timeout: 60000 });
    await page.locator('[data-testid="overview-workers"]').waitFor({ timeout: 60000 });
    await page.locator('[data-testid="overview-runs"]').getByText("lgb-", { exact: false }).first().waitFor({ timeout: 60000 });
  });
  ov.push(t.s);
  if (i === 0) {
    m.overview_js_kb = await t.page.evaluate(() => performance.getEntriesByType("resource")
      .filter((e) => e.name.endsWith(".js")).reduce((a, e) => a + e.transferSize, 0) / 1024);
  }
  await t.context.close();
  // the MLflow UI's home behind the same door: the experiment list on screen
  t = await timed(`${base}/mlflow/#/experiments`, async (page) => {
    await page.getByText("bench-dashboard-", { exact: false }).first().waitFor({ timeout: 120000 });
  });
  mlh.push(t.s);
  await t.context.close();

  // the runs page, at its largest page size, then one sort by a metric
  t = await timed(`${base}/experiments?experiment_id=${spec.experiment_id}&limit=1000`, async (page) => {
    await page.locator('[data-testid="runs-table"]').getByText("lgb-", { exact: false }).first().waitFor({ timeout: 120000 });
  });
  rr.push(t.s);
  m.runs_rows = Number(await t.page.getAttribute('[data-testid="runs-table"]', "data-rows"));
  const firstRun = async () => (await t.page.locator('[data-testid="runs-table"]').getByText("lgb-", { exact: false }).first().innerText());
  const before = await firstRun();
  const header = t.page.locator('[data-testid="metric-column"][data-metric="Rank IC"]').first();
  const s0 = Date.now();
  await header.click();
  await t.page.waitForFunction(([b]) => {
    const el = [...document.querySelectorAll('[data-testid="runs-table"] *')].find((e) => e.children.length === 0 && e.textContent?.startsWith("lgb-"));
    return el && el.textContent !== b;
  }, [before], { timeout: 60000 }).catch(() => {});
  rs.push((Date.now() - s0) / 1000);
  await t.context.close();
  // the MLflow UI's experiment page on the same runs
  t = await timed(`${base}/mlflow/#/experiments/${spec.experiment_id}/runs`, async (page) => {
    try {
      await page.getByText("lgb-", { exact: false }).first().waitFor({ timeout: 120000 });
    } catch (e) {
      await page.screenshot({ path: "/tmp/bench-mlflow-runs.png" });
      throw e;
    }
  });
  rm.push(t.s);
  await t.context.close();

  // the job page with the long log: the last line held, then scroll through it
  t = await timed(`${base}/jobs/${spec.job_id}`, async (page) => {
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="log-console"]')?.getAttribute("data-count") || 0) >= n,
                               spec.lines, { timeout: 300000, polling: 50 });
  });
  ll.push(t.s);
  frames = frames.concat(await scrollFrames(t.page, '[data-testid="log-console"]'));
  await t.context.close();
  // reference: the same lines from the log API in one plain <pre> on a page of the same origin
  {
    const { context, page } = await signedIn();
    const t0 = Date.now();  // from the navigation, as for our page
    await page.goto(`${base}/health`);
    await page.evaluate(async ([id]) => {
      const pre = document.createElement("pre");
      pre.id = "plain";
      pre.style.cssText = "height:800px;overflow:auto;margin:0";
      document.body.replaceChildren(pre);
      let offset = 0;
      for (;;) {
        const r = await fetch(`/api/train/${id}/logs?offset=${offset}&limit=10000`);
        const page = await r.json();
        if (!page.lines.length) break;
        pre.append(page.lines.map((l) => `${l.seq} ${l.line}`).join("\n") + "\n");
        offset = page.next_offset;
      }
      await new Promise(requestAnimationFrame);
    }, [spec.job_id]);
    lp.push((Date.now() - t0) / 1000);
    plainFrames = plainFrames.concat(await scrollFrames(page, "#plain"));
    await context.close();
  }
}
m.overview_s = median(ov); m.mlflow_home_s = median(mlh);
m.runs_render_s = median(rr); m.mlflow_runs_s = median(rm); m.runs_sort_s = median(rs);
m.log_last_line_s = median(ll); m.plain_last_line_s = median(lp);
m.log_frame_p50_ms = pct(frames, 0.5); m.log_frame_p95_ms = pct(frames, 0.95);
m.plain_frame_p50_ms = pct(plainFrames, 0.5); m.plain_frame_p95_ms = pct(plainFrames, 0.95);
await browser.close();
console.log(JSON.stringify(m));
