// The benchmarks pages in Debian's Chromium against a real `qlp up`: as a researcher in Chinese, the list and a
// finished benchmark's page — its leaderboard cells, the box plot of the spread over seeds (another metric picked), the
// order after sorting by every column each way, the runs table and its links, the Markdown copied and downloaded; the
// new-benchmark dialog refusing a broken YAML with the API's reason, then a benchmark of a stored config submitted on a
// queue no worker serves, opened and cancelled; the same pages in English; then a viewer without New or Cancel on a
// benchmark still queued. A screenshot of every page goes into the folder given, named benchmarks-*.
// usage: node benchmarks.mjs SPEC_JSON   (base, shots, researcher, viewer, bench_id, waiting_id, dataset_label,
//                                          broken_config, stored {id, name}, parked {name, queue, seeds})
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const spec = JSON.parse(process.argv[2]);
const { base, shots } = spec;
const report = { shots: [], errors: [], console_errors: [] };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
const tid = (t) => `[data-testid="${t}"]`;
/** An Element Plus input by its data-testid (on the input itself or on a wrapper). */
const field = (page, t) => page.locator(`input${tid(t)}, ${tid(t)} input`).first();

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") report.console_errors.push(m.text().slice(0, 300)); });
  page.on("pageerror", (e) => report.errors.push(String(e).slice(0, 300)));
  return page;
}

/** The page's own scroller (the layout's main area) to the top, or to an element. */
async function scrollTo(page, testid = null) {
  await page.evaluate((t) => {
    const main = document.querySelector(".el-main");
    if (!main) return;
    if (t === null) main.scrollTop = 0;
    else document.querySelector(`[data-testid="${t}"]`)?.scrollIntoView({ block: "start" });
  }, testid);
}

/** A screenshot, and whether anything sticks out sideways (a page wider than the window, or its main area). */
async function shot(page, name) {
  await page.waitForTimeout(400); // let charts finish drawing
  const path = `${shots}/benchmarks-${name}.png`;
  await page.screenshot({ path });
  report.shots.push(path);
  const over = await page.evaluate(() => {
    const main = document.querySelector(".el-main");
    return { doc: document.documentElement.scrollWidth - window.innerWidth,
             main: main ? main.scrollWidth - main.clientWidth : 0 };
  });
  if (over.doc > 0 || over.main > 0) (report.overflow ??= []).push({ name, ...over });
}

async function signIn(page, user, next = "/") {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.fill("#username", user.username);
  await page.fill("#password", user.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30000 }), page.click("#signin")]);
}

/** One part of the walk: a failure is reported and the next part still runs. */
async function part(name, fn) {
  try {
    await fn();
  } catch (e) {
    report.errors.push(`${name}: ${String(e?.stack || e).slice(0, 1500)}`);
  }
}

/** The list's rows as shown. */
async function listRows(page) {
  await page.locator(`${tid("benchmarks-table")} .el-table__body tbody tr`).first().waitFor({ timeout: 30000 });
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="benchmarks-table"] .el-table__body tbody tr')].map((tr) => {
    const link = tr.querySelector('[data-testid^="benchmark-link-"]');
    const prog = tr.querySelector('[data-testid="benchmark-progress"]');
    return {
      id: Number(link?.getAttribute("data-testid")?.split("-").pop()),
      name: link?.textContent?.trim(),
      size: tr.querySelector('[data-testid="benchmark-size"]')?.textContent?.trim(),
      done: Number(prog?.getAttribute("data-done")), total: Number(prog?.getAttribute("data-total")),
      state: tr.querySelector('[data-testid="benchmark-state"]')?.getAttribute("data-state"),
      text: tr.innerText.replace(/\s+/g, " ").trim(),
    };
  }));
}

/** The leaderboard as shown: each row's name, runs and cells (text and best mark) in DOM order. */
async function board(page) {
  return page.evaluate(() => {
    const rows = [];
    const seen = new Set();
    for (const tr of document.querySelectorAll('[data-testid="leaderboard"] .el-table__body tbody tr')) {
      const name = tr.querySelector('[data-testid="board-name"]')?.textContent?.trim();
      if (!name || seen.has(name)) continue;
      seen.add(name);
      const cells = {};
      const best = [];
      for (const c of tr.querySelectorAll('[data-testid="board-cell"]')) {
        cells[c.getAttribute("data-metric")] = c.textContent.trim();
        if (c.getAttribute("data-best") === "1") best.push(c.getAttribute("data-metric"));
      }
      const model = tr.querySelectorAll("td")[1]?.textContent?.trim();
      rows.push({ name, model, runs: tr.querySelector('[data-testid="board-runs"]')?.textContent?.trim(), cells, best });
    }
    const heads = [...document.querySelectorAll('[data-testid="leaderboard"] [data-testid="board-column"]')]
      .map((h) => ({ metric: h.getAttribute("data-metric"), label: h.textContent.trim() }));
    return { rows, heads };
  });
}

const names = async (page) => (await board(page)).rows.map((r) => r.name);

/** The box plot: the metric, values and boxes it draws, its canvas. */
async function boxplot(page) {
  const el = page.locator(tid("benchmark-boxplot"));
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="benchmark-boxplot"]')?.getAttribute("data-points") || 0) > 0,
                             null, { timeout: 30000 }).catch(() => {});
  return {
    metric: await el.getAttribute("data-metric"),
    points: Number(await el.getAttribute("data-points")),
    boxes: Number(await el.getAttribute("data-boxes")),
    canvases: await el.locator("canvas").count(),
    canvas_size: await el.locator("canvas").first().evaluate((c) => [c.width, c.height]).catch(() => [0, 0]),
  };
}

/** Click a leaderboard column's header (a sort step: descending, ascending, none). */
async function clickColumn(page, metric) {
  const head = page.locator(`${tid("leaderboard")} th`, { has: page.locator(`[data-testid="board-column"][data-metric="${metric}"]`) }).first();
  await head.locator(".cell").click();
  await page.waitForTimeout(150);
}

/** The benchmark page, read: header, info, board, box plot, runs and links. */
async function benchmarkPage(page, id, lang) {
  await page.goto(`${base}/benchmarks/${id}`);
  await page.locator(`${tid("leaderboard")} .el-table__body tbody tr`).first().waitFor({ timeout: 30000 });
  const out = {
    path: new URL(page.url()).pathname,
    title: (await page.locator(tid("benchmark-title")).innerText()).trim(),
    state: await page.getAttribute(tid("benchmark-state"), "data-state"),
    size: (await page.locator(`${tid("benchmark-info")} ${tid("benchmark-size")}`).innerText()).trim(),
    seeds: (await page.locator(tid("benchmark-seeds")).innerText()).trim(),
    dataset: (await page.locator(tid("benchmark-dataset")).innerText()).trim(),
    parent_run: await page.getAttribute(tid("benchmark-parent-run"), "href"),
    cancel: await page.locator(tid("benchmark-cancel")).count(),
    board: await board(page),
    boxplot: await boxplot(page),
    runs: await page.evaluate(() => [...document.querySelectorAll('[data-testid="benchmark-runs"] .el-table__body tbody tr')].map((tr) => ({
      config: tr.querySelector('[data-testid="run-config"]')?.textContent?.trim(),
      seed: tr.querySelector('[data-testid="run-seed"]')?.textContent?.trim(),
      state: tr.querySelector('[data-testid="job-state"], .job-state')?.getAttribute("data-state"),
      ic: tr.querySelector('[data-testid="run-ic"]')?.textContent?.trim(),
      rank_ic: tr.querySelector('[data-testid="run-rankIc"]')?.textContent?.trim(),
      excess: tr.querySelector('[data-testid="run-excess"]')?.textContent?.trim(),
      job: tr.querySelector('[data-testid="run-job-link"]')?.getAttribute("href"),
      run: tr.querySelector('[data-testid="run-run-link"]')?.getAttribute("href"),
    }))),
  };
  await shot(page, `02-benchmark-${lang}`);
  await scrollTo(page, "benchmark-boxplot");
  await shot(page, `03-boxplot-${lang}`);
  return out;
}

try {
  // ---- a researcher, in Chinese (the default)
  const page = await newPage();
  await part("list zh", async () => {
    await signIn(page, spec.researcher, "/benchmarks");
    report.lang = await page.evaluate(() => document.documentElement.lang);
    report.nav_zh = await page.locator(tid("nav")).innerText();
    report.list_zh = { rows: await listRows(page), new: await page.locator(tid("benchmark-new")).count(),
                       crumb: (await page.locator(".crumb").innerText()).trim() };
    await shot(page, "01-list-zh");
  });

  await part("benchmark zh", async () => {
    await page.click(tid(`benchmark-link-${spec.bench_id}`));
    await page.waitForURL(new RegExp(`/benchmarks/${spec.bench_id}$`));
    report.zh = await benchmarkPage(page, spec.bench_id, "zh");
    // another metric in the box plot
    await page.click(`${tid("boxplot-metric")} .el-select__wrapper`);
    await page.locator(".el-select-dropdown__item:visible").filter({ hasText: /^\s*IC\s*$/ }).first().click();
    await page.waitForFunction(() => document.querySelector('[data-testid="benchmark-boxplot"]')?.getAttribute("data-metric") === "IC");
    report.zh.boxplot_ic = await boxplot(page);
    await shot(page, "04-boxplot-ic-zh");
    await scrollTo(page, "benchmark-runs");
    await shot(page, "05-runs-zh");
    await scrollTo(page);
  });

  await part("sorting", async () => {
    // every column: descending, ascending, then back to the API's order
    report.sorted = {};
    for (const { metric } of report.zh.board.heads) {
      await clickColumn(page, metric);
      const desc = { order: await page.getAttribute(tid("leaderboard"), "data-order"), names: await names(page) };
      await clickColumn(page, metric);
      const asc = { order: await page.getAttribute(tid("leaderboard"), "data-order"), names: await names(page) };
      await clickColumn(page, metric);
      const none = { order: await page.getAttribute(tid("leaderboard"), "data-order"), names: await names(page) };
      report.sorted[metric] = { desc, asc, none };
    }
    // left sorted by the column the test names, for the screenshot
    await clickColumn(page, spec.shot_sort);
    report.sorted_shot = await names(page);
    await shot(page, "06-sorted-zh");
    await clickColumn(page, spec.shot_sort);
    await clickColumn(page, spec.shot_sort);
  });

  await part("markdown", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(tid("markdown-download"))]);
    report.download_name = download.suggestedFilename();
    report.download_text = readFileSync(await download.path(), "utf8");
    await page.click(tid("markdown-copy"));
    await page.locator(".el-message--success").first().waitFor({ timeout: 10000 });
    report.copy_message = (await page.locator(".el-message--success").first().innerText()).trim();
    report.copy_text = await page.evaluate(() => navigator.clipboard.readText());
  });

  await part("parent run", async () => {
    await Promise.all([page.waitForURL(/\/experiments\/runs\/[0-9a-f]{32}$/, { timeout: 30000 }), page.click(tid("benchmark-parent-run"))]);
    report.parent_run_page = new URL(page.url()).pathname;
    await page.waitForTimeout(1500);
    await shot(page, "07-parent-run-zh");
  });

  // ---- the dialog: a broken YAML refused with the API's reason, then a stored config on a queue nobody serves
  await part("dialog", async () => {
    await page.goto(`${base}/benchmarks`);
    await page.locator(tid("benchmark-new")).click();
    const dialog = page.locator(tid("benchmark-dialog"));
    await dialog.locator(tid("benchmark-name")).first().waitFor();
    await field(page, "benchmark-name").fill("bdash-broken");
    await page.click(`${tid("benchmark-dataset")} .el-select__wrapper`);
    await page.locator(".el-select-dropdown__item:visible", { hasText: spec.dataset_label }).first().click();
    await field(page, "benchmark-seeds").fill("2");
    await field(page, "benchmark-seeds").press("Tab");
    const editor = dialog.locator(`${tid("benchmark-config")} ${tid("yaml-editor")} .cm-content`).first();
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(spec.broken_config);
    report.dialog_jobs = (await page.locator(tid("benchmark-jobs")).innerText()).trim();
    await page.click(tid("benchmark-submit"));
    await page.locator(tid("benchmark-error")).waitFor({ timeout: 30000 });
    report.dialog_error = (await page.locator(`${tid("benchmark-error")} .el-alert__title`).innerText()).trim();
    report.dialog_still_open = await dialog.isVisible();
    report.dialog_path = new URL(page.url()).pathname;
    await shot(page, "08-dialog-error-zh");

    // now a stored config, two seeds, on a queue no worker serves: the jobs wait, and are cancelled
    await field(page, "benchmark-name").fill(spec.parked.name);
    await dialog.locator(`${tid("config-source-stored")}`).first().click();
    await page.click(`${tid("config-stored")} .el-select__wrapper`);
    await page.locator(".el-select-dropdown__item:visible", { hasText: `${spec.stored.name} (#${spec.stored.id})` }).first().click();
    await field(page, "config-name").fill("stored_cfg");
    await field(page, "benchmark-queue").fill(spec.parked.queue);
    await shot(page, "09-dialog-stored-zh");
    await Promise.all([page.waitForURL(/\/benchmarks\/\d+$/, { timeout: 30000 }), page.click(tid("benchmark-submit"))]);
    const created = { path: new URL(page.url()).pathname };
    await page.locator(tid("benchmark-state")).waitFor();
    created.state = await page.getAttribute(tid("benchmark-state"), "data-state");
    created.title = (await page.locator(tid("benchmark-title")).innerText()).trim();
    created.board = (await board(page)).rows;
    created.cancel = await page.locator(tid("benchmark-cancel")).count();
    created.live = await page.locator(tid("benchmark-live")).count();
    await shot(page, "10-created-zh");
    await page.click(tid("benchmark-cancel"));
    await page.locator(".el-message-box .el-button--primary").click();
    await page.waitForFunction(() => !["queued", "running"].includes(
      document.querySelector('[data-testid="benchmark-state"]')?.getAttribute("data-state") || "queued"), null, { timeout: 30000 });
    created.after_cancel = await page.getAttribute(tid("benchmark-state"), "data-state");
    created.cancel_after = await page.locator(tid("benchmark-cancel")).count();
    created.runs_states = await page.evaluate(() => [...document.querySelectorAll('[data-testid="benchmark-runs"] .job-state')].map((e) => e.getAttribute("data-state")));
    await shot(page, "11-cancelled-zh");
    report.created = created;
  });

  // ---- English
  await part("english", async () => {
    await page.goto(`${base}/benchmarks`);
    await page.click(tid("locale-en"));
    await page.waitForFunction(() => document.documentElement.lang === "en");
    report.nav_en = await page.locator(tid("nav")).innerText();
    report.list_en = { rows: await listRows(page), crumb: (await page.locator(".crumb").innerText()).trim() };
    await shot(page, "12-list-en");
    report.en = await benchmarkPage(page, spec.bench_id, "en");
    await scrollTo(page, "benchmark-runs");
    await shot(page, "13-runs-en");
    // the dialog in English, with its refusal
    await page.goto(`${base}/benchmarks`);
    await page.locator(tid("benchmark-new")).click();
    const dialog = page.locator(tid("benchmark-dialog"));
    await field(page, "benchmark-name").fill("bdash-broken-en");
    await page.click(`${tid("benchmark-dataset")} .el-select__wrapper`);
    await page.locator(".el-select-dropdown__item:visible", { hasText: spec.dataset_label }).first().click();
    const editor = dialog.locator(`${tid("benchmark-config")} ${tid("yaml-editor")} .cm-content`).first();
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(spec.broken_config);
    await page.click(tid("benchmark-submit"));
    await page.locator(tid("benchmark-error")).waitFor({ timeout: 30000 });
    report.dialog_error_en = (await page.locator(`${tid("benchmark-error")} .el-alert__title`).innerText()).trim();
    await shot(page, "14-dialog-error-en");
  });
  await page.context().close();

  // ---- a viewer: no New; no Cancel on a benchmark still queued
  await part("viewer", async () => {
    const vw = await newPage();
    await signIn(vw, spec.viewer, "/benchmarks");
    report.viewer = { rows: (await listRows(vw)).length, new: await vw.locator(tid("benchmark-new")).count() };
    await shot(vw, "15-viewer-list-zh");
    await vw.goto(`${base}/benchmarks/${spec.waiting_id}`);
    await vw.locator(tid("benchmark-state")).waitFor();
    report.viewer.state = await vw.getAttribute(tid("benchmark-state"), "data-state");
    await vw.locator(tid("leaderboard")).waitFor();
    report.viewer.cancel = await vw.locator(tid("benchmark-cancel")).count();
    report.viewer.copy = await vw.locator(tid("markdown-copy")).count();
    await shot(vw, "16-viewer-queued-zh");
    await vw.context().close();
  });
} catch (e) {
  report.errors.push(String(e?.stack || e).slice(0, 2000));
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
