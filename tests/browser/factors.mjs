// The factor library's pages in Debian's Chromium against a real `qlp up`: as a researcher in Chinese, the library
// sorted by Rank IC (the order the API gave, then turned round by the column), the editor marking a broken
// expression's position and refusing a look-ahead, a new factor saved and its page, an evaluation submitted from its
// dialog and followed to its end, an evaluation's page with its charts and the redundancy table, the factor sets and a
// new one; then in English; then a viewer without New, Evaluate or Archive. A screenshot of every page goes into the
// folder given, named factors-*.
// usage: node factors.mjs SPEC_JSON   (base, shots, researcher, viewer, tag, factors {signal, noise, cubed},
//                                       evaluations {signal, noise, cubed}, set_id, dataset_label, new_factor)
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
/** An Element Plus input or textarea by its data-testid (on the field itself or on a wrapper). */
const field = (page, t) => page.locator(`input${tid(t)}, textarea${tid(t)}, ${tid(t)} input, ${tid(t)} textarea`).first();

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") report.console_errors.push(m.text().slice(0, 300)); });
  page.on("pageerror", (e) => report.errors.push(String(e).slice(0, 300)));
  return page;
}

/** The page's own scroller (the layout's main area) to the top, or by `y` pixels. */
async function scrollMain(page, y = null) {
  await page.evaluate((dy) => {
    const el = document.querySelector(".el-main");
    if (el) el.scrollTop = dy === null ? 0 : el.scrollTop + dy;
  }, y);
}

/** A screenshot, and whether anything sticks out sideways (a page wider than the window, or its main area). */
async function shot(page, name) {
  await page.waitForTimeout(400); // let charts finish drawing
  const path = `${shots}/factors-${name}.png`;
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

const countIs = (page, t, n) => page.waitForFunction(([t, n]) => Number(document.querySelector(`[data-testid="${t}"]`)?.getAttribute("data-count") || -1) === n,
                                                     [t, n], { timeout: 30000 });
const countAtLeast = (page, t, n) => page.waitForFunction(([t, n]) => Number(document.querySelector(`[data-testid="${t}"]`)?.getAttribute("data-count") || -1) >= n,
                                                          [t, n], { timeout: 30000 });
const points = async (page, t) => {
  await page.waitForFunction((t) => Number(document.querySelector(`[data-testid="${t}"]`)?.getAttribute("data-points") || 0) > 0,
                             t, { timeout: 30000 }).catch(() => {});
  return Number((await page.getAttribute(tid(t), "data-points")) || 0);
};

/** The library's rows as shown: names (each once, in order) and the Rank IC cells' values. */
async function libraryRows(page) {
  return page.evaluate(() => {
    const out = [];
    const seen = new Set();
    for (const tr of document.querySelectorAll('[data-testid="factors-table"] .el-table__body tbody tr')) {
      const link = tr.querySelector('[data-testid^="factor-link-"]');
      const cell = tr.querySelector('[data-testid="cell-rank-ic"]');
      if (!link || seen.has(link.dataset.name)) continue;
      seen.add(link.dataset.name);
      const v = cell?.getAttribute("data-value");
      out.push({ name: link.dataset.name, rank_ic: v === "" || v === null || v === undefined ? null : Number(v) });
    }
    return out;
  });
}

async function typeExpression(page, text) {
  const box = field(page, "factor-expression");
  await box.fill(text);
}

/** The editor's verdict on what was typed: its state, and the error (position, marked character, message) or the
 * look-ahead warning. */
async function verdict(page, state) {
  await page.waitForFunction((s) => document.querySelector('[data-testid="expr-state"]')?.getAttribute("data-state") === s,
                             state, { timeout: 20000 });
  const out = { state, save_disabled: await page.locator(tid("editor-save")).isDisabled() };
  if (await page.locator(tid("expr-error")).count()) {
    out.position = Number(await page.getAttribute(tid("expr-error"), "data-position"));
    out.col = Number(await page.getAttribute(tid("expr-error"), "data-col"));
    out.where = await page.locator(tid("expr-error-where")).innerText();
    out.message = await page.locator(tid("expr-error-message")).innerText();
    out.marker = await page.locator(tid("expr-error-marker")).innerText();
    out.expected = await page.locator(tid("expr-expected")).innerText().catch(() => "");
  }
  if (await page.locator(tid("expr-lookahead")).count()) out.lookahead = await page.locator(tid("expr-lookahead")).innerText();
  if (await page.locator(tid("expr-lookback")).count()) out.lookback = await page.locator(tid("expr-lookback")).innerText();
  if (await page.locator(tid("expr-canonical")).count()) out.canonical = await page.locator(tid("expr-canonical")).innerText();
  return out;
}

/** What an evaluation's page shows: chart points, canvases, the redundancy rows and flags, the per-horizon table. */
async function evaluationPage(page, eid) {
  await page.goto(`${base}/factors/evaluations/${eid}`);
  await page.locator(tid("evaluation-cards")).waitFor({ timeout: 30000 });
  const out = {
    daily: await points(page, "chart-daily-ic"),
    decay: await points(page, "chart-decay"),
    quantiles: await points(page, "chart-quantiles"),
    quantile_means: await points(page, "chart-quantile-means"),
    turnover: await points(page, "chart-turnover"),
    coverage: await points(page, "chart-coverage"),
  };
  out.canvases = await page.locator(`${tid("evaluation-page")} canvas`).count();
  out.horizons = Number(await page.getAttribute(tid("horizon-table"), "data-count"));
  out.rank_ic_first = await page.locator(tid("horizon-rank-ic")).first().innerText();
  out.redundancy_rows = Number(await page.getAttribute(tid("redundancy-table"), "data-count"));
  out.flagged = await page.locator(tid("redundancy-flag")).evaluateAll((els) => els.map((e) => e.getAttribute("data-name")));
  out.flag_on_page = await page.locator(tid("evaluation-redundant")).count();
  out.run_link = await page.getAttribute(tid("evaluation-run-link"), "href").catch(() => null);
  out.factor_link = await page.getAttribute(tid("evaluation-factor-link"), "href").catch(() => null);
  return out;
}

try {
  const page = await newPage();
  await signIn(page, spec.researcher, "/factors");

  // ---- the library, sorted by Rank IC: the API's order; the column turned round
  await part("library", async () => {
    await page.goto(`${base}/factors?sort=rank_ic&tag=${spec.tag}`);
    await countIs(page, "factors-table", 3);
    report.library = { rows: await libraryRows(page), nav: await page.locator(tid("nav")).innerText() };
    report.library.redundant = await page.locator('[data-testid^="factor-redundant-"]').count();
    report.library.decay = await page.locator(`${tid("factors-table")} ${tid("decay")} svg`).count();
    await shot(page, "01-library-zh");
    await page.locator(`${tid("factors-table")} th.is-sortable`, { hasText: "Rank IC" }).first().click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get("order") === "ascending", null, { timeout: 10000 });
    await page.waitForTimeout(300);
    report.library.ascending = await libraryRows(page);
    // the name search narrows the list
    await page.goto(`${base}/factors`);
    await field(page, "factors-search").fill(spec.factors_names.noise);
    await page.waitForFunction(() => new URL(location.href).searchParams.get("q") !== null, null, { timeout: 10000 });
    await countIs(page, "factors-table", 1);
    report.library.searched = (await libraryRows(page)).map((r) => r.name);
  });

  // ---- the editor: the error at its position, the look-ahead refused, a valid factor saved
  await part("editor", async () => {
    await page.goto(`${base}/factors`);
    await page.click(tid("new-factor"));
    await field(page, "factor-expression").waitFor();
    await field(page, "factor-name").fill(spec.new_factor.name);
    await typeExpression(page, "Ref($close, 5");
    report.broken = await verdict(page, "invalid");
    await shot(page, "02-editor-error-zh");
    await typeExpression(page, "Ref($close, -1)");
    report.lookahead = await verdict(page, "lookahead");
    await shot(page, "03-editor-lookahead-zh");
    await typeExpression(page, spec.new_factor.expression);
    report.valid = await verdict(page, "valid");
    await page.locator(tid("factor-tags")).click();
    await page.keyboard.type(spec.tag);
    await page.keyboard.press("Enter");
    await field(page, "factor-description").click();  // closes the tag list
    await shot(page, "04-editor-valid-zh");
    await Promise.all([page.waitForURL(/\/factors\/\d+$/, { timeout: 20000 }), page.click(tid("editor-save"))]);
    await page.locator(tid("factor-title")).waitFor();
    report.saved = {
      path: new URL(page.url()).pathname,
      title: await page.locator(tid("factor-title")).innerText(),
      expression: await page.locator(tid("factor-expression-latest")).innerText(),
      archive: await page.locator(tid("factor-archive")).count(),
      new_version: await page.locator(tid("factor-new-version")).count(),
    };
  });

  // ---- the new factor evaluated from its dialog, the job followed to its end, its evaluation opened
  await part("evaluate", async () => {
    await page.click(tid("factor-evaluate"));
    await page.locator(tid("evaluate-dataset")).waitFor();
    await page.locator(tid("evaluate-dataset")).click();
    await page.locator(".el-select-dropdown__item:visible", { hasText: spec.dataset_label }).first().click();
    await page.waitForFunction(() => document.querySelector('[data-testid="evaluate-market"]')?.innerText.includes("demo"), null, { timeout: 10000 });
    report.evaluate = { horizons: await field(page, "evaluate-horizons").inputValue(),
                        market: await page.locator(tid("evaluate-market")).innerText() };
    await shot(page, "05-evaluate-dialog-zh");
    await page.click(tid("evaluate-submit"));
    await page.locator(tid("job-progress")).waitFor({ timeout: 30000 });
    await page.waitForFunction(() => ["succeeded", "failed", "cancelled"].includes(
      document.querySelector('[data-testid="job-progress"]')?.getAttribute("data-state") || ""), null, { timeout: 240000 });
    report.evaluate.state = await page.getAttribute(tid("job-progress"), "data-state");
    await page.locator(tid("evaluation-open")).waitFor({ timeout: 20000 });
    report.evaluate.rows = await page.locator(`${tid("evaluations-table")} .el-table__body tbody tr`).count();
    report.evaluate.rank_ic = await page.locator(tid("evaluation-rank-ic")).first().innerText();
    await shot(page, "06-factor-evaluated-zh");
    await Promise.all([page.waitForURL(/\/factors\/evaluations\/\d+$/, { timeout: 20000 }), page.click(tid("evaluation-open"))]);
    report.evaluate.page = new URL(page.url()).pathname;
    report.evaluate.daily = await points(page, "chart-daily-ic");
  });

  // ---- a library factor's page (not the researcher's: evaluate, no archive)
  await part("factor page", async () => {
    await page.goto(`${base}/factors/${spec.factors.signal}`);
    await countAtLeast(page, "evaluations-table", 1);
    report.factor = {
      evaluations: Number(await page.getAttribute(tid("evaluations-table"), "data-count")),
      versions: Number(await page.getAttribute(tid("versions-table"), "data-count")),
      evaluate: await page.locator(tid("factor-evaluate")).count(),
      archive: await page.locator(tid("factor-archive")).count(),
      links: await page.locator('[data-testid^="evaluation-link-"]').count(),
    };
    await shot(page, "07-factor-zh");
  });

  // ---- the monotone transform's evaluation: its charts, the signal flagged in the redundancy table
  await part("evaluation page", async () => {
    report.cubed = await evaluationPage(page, spec.evaluations.cubed);
    await shot(page, "08-evaluation-zh");
    await page.click(tid("horizon-5D"));
    await page.waitForTimeout(300);
    report.cubed.daily_5d = await points(page, "chart-daily-ic");
    await scrollMain(page, 700);
    await shot(page, "09-evaluation-charts-zh");
    await scrollMain(page, 2000);
    await shot(page, "10-evaluation-redundancy-zh");
  });

  // ---- factor sets: the list, a new one from the dialog, a set's page
  await part("factor sets", async () => {
    await page.goto(`${base}/factor-sets`);
    await countAtLeast(page, "sets-table", 1);
    report.sets = { rows: Number(await page.getAttribute(tid("sets-table"), "data-count")),
                    count: await page.locator(tid(`set-count-${spec.set_id}`)).innerText() };
    await shot(page, "11-sets-zh");
    await page.click(tid("new-set"));
    await field(page, "set-name").fill(spec.new_set);
    await page.locator(tid("set-factors")).click();
    for (const name of [spec.factors_names.signal, spec.factors_names.noise]) {
      await page.locator(".el-select-dropdown__item:visible", { hasText: name }).first().click();
    }
    await field(page, "set-description").click();
    await page.click(tid("set-alpha158"));
    await field(page, "set-description").fill("两个因子加 Alpha158");
    await shot(page, "12-set-dialog-zh");
    await Promise.all([page.waitForURL(/\/factor-sets\/\d+$/, { timeout: 20000 }), page.click(tid("set-submit"))]);
    await countIs(page, "set-members-table", 2);
    report.sets.created = { path: new URL(page.url()).pathname, title: await page.locator(tid("set-title")).innerText(),
                            alpha158: await page.locator(tid("set-alpha158-on")).count() };
    await page.goto(`${base}/factor-sets/${spec.set_id}`);
    await countIs(page, "set-members-table", 2);
    await countAtLeast(page, "set-runs-table", 1);
    const runs = tid("set-runs-table");
    report.sets.page = {
      members: await page.locator('[data-testid^="member-"]').evaluateAll((els) => els.map((e) => e.textContent.trim())),
      runs: Number(await page.getAttribute(runs, "data-count")),
      run_ids: await page.locator('[data-testid^="set-runs-job-"]').evaluateAll((els) => els.map((e) => Number(e.dataset.testid.split("-").pop()))),
      run_ic: await page.locator(`${runs} [data-metric="ic"]`).first().innerText(),
      run_rank_ic: await page.locator(`${runs} [data-metric="rankIc"]`).first().innerText(),
      run_link: await page.getAttribute('[data-testid^="set-runs-run-"]', "href"),
    };
    await shot(page, "13-set-zh");
  });

  // ---- English
  await part("english", async () => {
    await page.click(tid("locale-en"));
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.goto(`${base}/factors?sort=rank_ic&tag=${spec.tag}`);
    await countAtLeast(page, "factors-table", 3);
    report.english = { nav: await page.locator(tid("nav")).innerText(), rows: await libraryRows(page) };
    await shot(page, "14-library-en");
    await page.click(tid("new-factor"));
    await typeExpression(page, "Ref($close, 5");
    report.english.broken = await verdict(page, "invalid");
    await shot(page, "15-editor-error-en");
    await page.click(tid("editor-cancel"));
    report.english.signal = await evaluationPage(page, spec.evaluations.signal);
    await shot(page, "16-evaluation-en");
    await scrollMain(page, 2000);
    await shot(page, "17-evaluation-bottom-en");
    await page.goto(`${base}/factors/${spec.factors.cubed}`);
    await countAtLeast(page, "evaluations-table", 1);
    await shot(page, "18-factor-en");
    await page.goto(`${base}/factor-sets/${spec.set_id}`);
    await countIs(page, "set-members-table", 2);
    await shot(page, "19-set-en");
    await page.goto(`${base}/factor-sets`);
    await countAtLeast(page, "sets-table", 2);
    await shot(page, "20-sets-en");
  });
  await page.context().close();

  // ---- a viewer: no New factor, Evaluate, Archive, New version or New set
  await part("viewer", async () => {
    const vw = await newPage();
    await signIn(vw, spec.viewer, `/factors?sort=rank_ic&tag=${spec.tag}`);
    await countAtLeast(vw, "factors-table", 3);
    report.viewer = { new_factor: await vw.locator(tid("new-factor")).count() };
    await vw.goto(`${base}/factors/${spec.factors.signal}`);
    await countAtLeast(vw, "evaluations-table", 1);
    report.viewer.evaluate = await vw.locator(tid("factor-evaluate")).count();
    report.viewer.archive = await vw.locator(tid("factor-archive")).count();
    report.viewer.new_version = await vw.locator(tid("factor-new-version")).count();
    await shot(vw, "21-viewer-factor-zh");
    await vw.goto(`${base}/factor-sets`);
    await countAtLeast(vw, "sets-table", 1);
    report.viewer.new_set = await vw.locator(tid("new-set")).count();
    await vw.context().close();
  });
} catch (e) {
  report.errors.push(String(e?.stack || e).slice(0, 2000));
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
