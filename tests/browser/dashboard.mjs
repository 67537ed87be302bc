// The dashboard end to end in Debian's Chromium against a real `qlp up`: sign in (zh-CN), submit the demo
// workflow from the editor, watch its log arrive live, cut the log WebSocket mid-run and see it resume with no
// gap, wait for success, open the run, compare it with a second run, switch to English, and as a viewer find no
// submit or cancel control; then a dataset's tabs (validation, versions, universes, lineage) in both languages, a
// file uploaded through the dialog (its progress to 100%, its ingest job to the end), an admin archiving a version
// and a viewer without upload, universe or archive controls. A screenshot of every page goes into the folder given.
// usage: node dashboard.mjs SPEC_JSON   (base, researcher, viewer, admin, config, dataset_id, other_run_id, shots,
//                                         ingested {v1, v2, v3}, upload_file, upload_name)
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const spec = JSON.parse(process.argv[2]);
const { base, shots } = spec;
const report = { shots: [], errors: [], console_errors: [], ws_cuts: 0, ws_connects: 0, live_counts: [] };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") report.console_errors.push(m.text().slice(0, 300)); });
  page.on("pageerror", (e) => report.errors.push(String(e).slice(0, 300)));
  return page;
}

async function shot(page, name) {
  await page.waitForTimeout(400); // let charts finish their animation
  const path = `${shots}/${name}.png`;
  await page.screenshot({ path });
  report.shots.push(path);
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
const tid = (t) => `[data-testid="${t}"]`;
/** An Element Plus input by its data-testid (on the input itself or on a wrapper). */
const input = (page, t) => page.locator(`input${tid(t)}, ${tid(t)} input`).first();
const countOf = async (page, t) => Number((await page.getAttribute(tid(t), "data-count")) || 0);

const attr = (page, testid, name) => page.getAttribute(`[data-testid="${testid}"]`, name);
const points = async (page, testid) => {
  const el = page.locator(`[data-testid="${testid}"]`).first();
  await el.waitFor({ timeout: 60000 });
  await page.waitForFunction((t) => Number(document.querySelector(`[data-testid="${t}"]`)?.getAttribute("data-points") || 0) > 0,
                             testid, { timeout: 60000 }).catch(() => {});
  return Number((await el.getAttribute("data-points")) || 0);
};

try {
  // ---- a researcher, in Chinese (the default)
  const page = await newPage();
  // every log WebSocket goes through this route, so the test can cut it like a dropped network would
  const sockets = [];
  await page.routeWebSocket(/\/ws\/train\//, (ws) => {
    report.ws_connects += 1;
    ws.connectToServer();
    sockets.push(ws);
  });
  await page.goto(`${base}/jobs`);
  await page.waitForURL(/\/login/);
  report.login_redirect = new URL(page.url()).pathname + new URL(page.url()).search;
  await page.locator("#signin").waitFor();
  await shot(page, "01-login-zh");
  await page.fill("#username", spec.researcher.username);
  await page.fill("#password", spec.researcher.password);
  await Promise.all([page.waitForURL(/\/jobs$/), page.click("#signin")]);
  report.after_login = new URL(page.url()).pathname;  // back where the user was going
  report.lang = await page.evaluate(() => document.documentElement.lang);
  report.nav_zh = await page.locator('[data-testid="nav"]').innerText();

  await page.goto(`${base}/`);
  await page.locator('[data-testid="overview-health"]').waitFor();
  await page.locator('[data-testid="overview-workers"]').waitFor();
  await shot(page, "02-overview-zh");
  // live without polling storms: at most one request a second while idle, none from a hidden tab
  const requests = [];
  const onRequest = (r) => { if (["fetch", "xhr"].includes(r.resourceType())) requests.push(new URL(r.url()).pathname); };
  page.on("request", onRequest);
  await page.waitForTimeout(8000);
  report.idle_requests_8s = requests.splice(0).length;
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    Object.defineProperty(document, "hidden", { value: true, configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await page.waitForTimeout(8000);
  report.hidden_requests_8s = requests.splice(0).length;
  page.off("request", onRequest);

  // ---- submit the demo workflow from the editor
  await page.goto(`${base}/training?dataset=${spec.dataset_id}`);  // the demo dataset, not the newest
  const editor = page.locator('[data-testid="yaml-editor"] .cm-content');
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(spec.bad_config);
  await page.locator('[data-testid="editor-error"]').first().waitFor({ timeout: 20000 });
  report.editor_error = await page.locator('[data-testid="editor-error"]').first().innerText();
  report.editor_error_line = Number(await page.locator('[data-testid="editor-error"]').first().getAttribute("data-line"));
  report.submit_disabled_on_error = await page.locator('[data-testid="submit-job"]').isDisabled();
  await shot(page, "03-training-error-zh");
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(spec.config);
  await page.waitForFunction(() => !document.querySelector('[data-testid="editor-error"]'), null, { timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid="submit-job"]')?.hasAttribute("disabled"),
                             null, { timeout: 20000 });
  await shot(page, "04-training-zh");
  await Promise.all([page.waitForURL(/\/jobs\/\d+$/, { timeout: 30000 }), page.click('[data-testid="submit-job"]')]);
  report.job_id = Number(new URL(page.url()).pathname.split("/").pop());

  // ---- the live log: lines arrive while it runs; cut the socket mid-run; it resumes with no gap
  const consoleSel = '[data-testid="log-console"]';
  await page.locator(consoleSel).waitFor();
  const count = async () => Number((await attr(page, "log-console", "data-count")) || 0);
  const state = async () => (await attr(page, "job-state", "data-state")) || "";
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="log-console"]')?.getAttribute("data-count") || 0) > 0,
                             null, { timeout: 180000 });
  const jobRequests = [];
  const onJobRequest = (r) => { if (["fetch", "xhr"].includes(r.resourceType())) jobRequests.push(r.url()); };
  page.on("request", onJobRequest);
  const watchStart = Date.now();
  for (let i = 0; i < 6 && (await state()) !== "succeeded"; i++) {
    report.live_counts.push({ state: await state(), count: await count() });
    await page.waitForTimeout(700);
  }
  page.off("request", onJobRequest);
  report.job_requests_while_live = { requests: jobRequests.length, seconds: (Date.now() - watchStart) / 1000 };
  await shot(page, "05-job-running-zh");
  if ((await state()) === "running" && sockets.length) {
    report.count_at_cut = await count();
    const open = sockets[sockets.length - 1];
    await open.close({ code: 4000, reason: "test cuts the connection" });
    report.ws_cuts += 1;
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="log-console"]')?.getAttribute("data-reconnects") || 0) >= n,
                               1, { timeout: 30000 }).catch(() => {});
  }
  await page.waitForFunction(() => ["succeeded", "failed", "cancelled"].includes(
    document.querySelector('[data-testid="job-state"]')?.getAttribute("data-state") || ""), null, { timeout: 400000 });
  report.final_state = await state();
  await page.locator('[data-testid="job-metrics"]').waitFor({ timeout: 30000 }).catch(() => {});
  await page.waitForTimeout(1000);
  for (const name of ["data-count", "data-next", "data-dupes", "data-reconnects"]) {
    report[name.slice(5)] = Number((await attr(page, "log-console", name)) || 0);
  }
  // the downloaded log is exactly what the console holds
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="log-download"]')]);
  report.download_text = readFileSync(await download.path(), "utf8");
  await shot(page, "06-job-done-zh");

  // ---- its run, then a comparison with a second run
  await Promise.all([page.waitForURL(/\/experiments\/runs\/[0-9a-f]{32}/, { timeout: 30000 }),
                     page.click('[data-testid="job-run-link"]')]);
  report.run_id = new URL(page.url()).pathname.split("/").pop();
  await page.locator('[data-testid="run-metrics"]').waitFor();
  report.run_points = await points(page, "chart-excess");
  await shot(page, "07-run-zh");

  await page.goto(`${base}/experiments`);
  await page.locator('[data-testid="runs-table"]').waitFor();
  for (const id of [report.run_id, spec.other_run_id]) {
    await page.locator(`[data-testid="select-run"][data-run-id="${id}"]`).first().click();
  }
  await shot(page, "08-runs-zh");
  await Promise.all([page.waitForURL(/\/experiments\/compare/), page.click('[data-testid="compare-runs"]')]);
  await page.locator('[data-testid="compare-table"]').waitFor();
  report.compare_points = {
    excess: await points(page, "chart-excess"),
    drawdown: await points(page, "chart-drawdown"),
    ic: await points(page, "chart-ic"),
  };
  report.compare_table = await page.locator('[data-testid="compare-table"]').innerText();
  await shot(page, "09-compare-zh");

  await page.goto(`${base}/jobs`);
  await page.locator('[data-testid="jobs-table"]').waitFor();
  await shot(page, "10-jobs-zh");
  await page.goto(`${base}/datasets`);
  await page.locator('[data-testid="datasets-table"]').waitFor();
  await shot(page, "11-datasets-zh");
  await page.goto(`${base}/datasets/${spec.dataset_id}`);
  report.candle_points = await points(page, "chart-candles");
  await shot(page, "12-dataset-zh");

  // ---- English
  await page.click('[data-testid="locale-en"]');
  await page.waitForFunction(() => document.documentElement.lang === "en");
  report.nav_en = await page.locator('[data-testid="nav"]').innerText();
  await shot(page, "13-dataset-en");
  await page.goto(`${base}/experiments/compare?runs=${report.run_id},${spec.other_run_id}`);
  await page.locator('[data-testid="compare-table"]').waitFor();
  await points(page, "chart-excess");
  await shot(page, "14-compare-en");
  await page.goto(`${base}/jobs/${report.job_id}`);
  await page.locator('[data-testid="log-console"]').waitFor();
  await shot(page, "15-job-en");
  await page.goto(`${base}/`);
  await page.locator('[data-testid="overview-health"]').waitFor();
  await shot(page, "16-overview-en");
  await page.context().close();

  // ---- a viewer: no submit, no cancel, no admin
  const viewer = await newPage();
  await signIn(viewer, spec.viewer, `/jobs/${report.job_id}`);
  await viewer.locator('[data-testid="log-console"]').waitFor();
  report.viewer = {
    cancel: await viewer.locator('[data-testid="cancel-job"]').count(),
    nav_training: await viewer.locator('[data-testid="nav-training"]').count(),
    nav_admin: await viewer.locator('[data-testid="nav-admin"]').count(),
  };
  await viewer.goto(`${base}/training`);
  await viewer.waitForURL((u) => u.pathname === "/");
  report.viewer.submit = await viewer.locator('[data-testid="submit-job"]').count();
  report.viewer.training_redirect = new URL(viewer.url()).pathname;
  await shot(viewer, "17-viewer-overview-zh");
  await viewer.context().close();

  // ---- an admin's page
  const admin = await newPage();
  await signIn(admin, spec.admin, "/admin");
  await admin.locator('[data-testid="users-table"]').waitFor();
  await admin.locator('[data-testid="tokens-table"]').waitFor();
  await shot(admin, "18-admin-zh");
  await admin.context().close();

  // ---- a dataset's tabs and the upload dialog: a researcher, in Chinese
  const ing = spec.ingested;
  const rp = await newPage();
  await signIn(rp, spec.researcher, `/datasets/${ing.v1}?tab=validation`);
  await part("validation", async () => {
    await rp.locator(tid("problems-table")).waitFor({ timeout: 30000 });
    const chartPoints = await points(rp, "chart-problems");
    report.validation = {
      warnings: Number(await attr(rp, "validation-counts", "data-warnings")),
      errors: Number(await attr(rp, "validation-counts", "data-errors")),
      rows: await rp.locator(`${tid("problems-table")} .el-table__body tbody tr`).count(),
      chart_points: chartPoints,
    };
    await shot(rp, "19-dataset-validation-zh");
    // only the missing_days check
    await rp.locator(tid("problem-check")).first().click();
    await rp.locator(".el-select-dropdown__item:visible", { hasText: "missing_days" }).first().click();
    await rp.keyboard.press("Escape");
    await rp.waitForTimeout(300);
    report.validation.filtered = await rp.locator(`${tid("problems-table")} .el-table__body tbody tr`).count();
    // a generated version has no report
    await rp.goto(`${base}/datasets/${spec.dataset_id}?tab=validation`);
    await rp.locator(tid("validation")).waitFor();
    report.validation_none = await rp.locator(tid("validation-none")).count();
  });
  await part("universes", async () => {
    await rp.goto(`${base}/datasets/${ing.v3}?tab=universes`);
    await rp.locator(tid("market-top10")).waitFor({ timeout: 30000 });
    report.universes = { markets: await countOf(rp, "markets-table") };
    await rp.click(tid("market-show-top10"));
    const list = `${tid("market-instruments")} ${tid("instrument-list")}`;
    await rp.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute("data-count") || 0) > 0, list, { timeout: 30000 });
    report.universes.members = Number((await rp.getAttribute(list, "data-count")) || 0);
    report.universes.member_market = await rp.getAttribute(list, "data-market");
    await shot(rp, "21-dataset-universes-zh");
    // a member charts on the first tab
    await rp.locator(`${list} li`).first().click();
    report.universes.member_chart = await points(rp, "chart-candles");
  });
  await part("upload", async () => {
    await rp.goto(`${base}/datasets`);
    await rp.locator(tid("datasets-table")).waitFor();
    await rp.click(tid("upload-dataset"));
    await rp.locator(tid("upload-body")).waitFor();
    // first a file the validation rejects: the job fails and its error stays in the dialog
    await rp.setInputFiles(tid("upload-file"), spec.bad_file);
    await input(rp, "upload-name").fill("dash-bad");
    await input(rp, "upload-benchmarks").fill("DEMOIDX");
    await rp.locator(tid("upload-name-state")).click();
    await rp.click(tid("upload-submit"));
    await rp.locator(tid("job-progress")).waitFor({ timeout: 120000 });
    await rp.waitForFunction(() => ["succeeded", "failed", "cancelled"].includes(
      document.querySelector('[data-testid="job-progress"]')?.getAttribute("data-state") || ""), null, { timeout: 300000 });
    report.upload_bad = { state: await attr(rp, "job-progress", "data-state"),
                          error: (await rp.locator(tid("job-progress-error")).innerText().catch(() => "")).slice(0, 2000),
                          failed_alert: await rp.locator(tid("upload-failed")).count() };
    await shot(rp, "28-upload-failed-zh");
    await rp.click(tid("upload-cancel"));
    await rp.waitForTimeout(500);
    await rp.click(tid("upload-dataset"));
    await rp.locator(tid("upload-body")).waitFor();
    await rp.setInputFiles(tid("upload-file"), spec.upload_file);
    await rp.locator(tid("upload-file-name")).waitFor();
    await input(rp, "upload-name").fill(spec.upload_name);
    await input(rp, "upload-benchmarks").fill("DEMOIDX");
    await input(rp, "upload-market").fill("demo");
    await rp.click(tid("map-add"));  // a blank mapping row is left out
    await rp.locator(tid("upload-name-state")).click(); // close the name suggestions
    await shot(rp, "23-upload-dialog-zh");
    await rp.click(tid("upload-submit"));
    await rp.locator(`${tid("upload-progress")}[data-percent="100"]`).waitFor({ timeout: 120000 });
    report.upload = { percent: Number(await attr(rp, "upload-progress", "data-percent")),
                      progress_text: await rp.locator(tid("upload-progress-text")).innerText() };
    await rp.locator(tid("job-progress")).waitFor({ timeout: 30000 });
    await rp.waitForFunction(() => ["succeeded", "failed", "cancelled"].includes(
      document.querySelector('[data-testid="job-progress"]')?.getAttribute("data-state") || ""), null, { timeout: 300000 });
    report.upload.state = await attr(rp, "job-progress", "data-state");
    await shot(rp, "24-upload-done-zh");
    await rp.waitForURL(/\/datasets\/\d+$/, { timeout: 20000 });
    report.upload.path = new URL(rp.url()).pathname;
    await rp.locator(tid("dataset-meta")).waitFor();
  });

  // ---- English: the versions of a name, the lineage of the demo dataset, the universe dialog
  await part("english tabs", async () => {
    await rp.click('[data-testid="locale-en"]');
    await rp.waitForFunction(() => document.documentElement.lang === "en");
    await rp.goto(`${base}/datasets/${ing.v3}?tab=versions`);
    await rp.waitForFunction(() => Number(document.querySelector('[data-testid="versions-table"]')?.getAttribute("data-count") || 0) >= 3,
                             null, { timeout: 30000 });
    report.versions = {
      count: await countOf(rp, "versions-table"),
      changes_v2: await rp.locator(tid("version-changes-2")).innerText(),
      storage_v2: await rp.locator(tid("version-storage-2")).innerText(),
    };
    await shot(rp, "20-dataset-versions-en");
    await rp.goto(`${base}/datasets/${spec.dataset_id}?tab=lineage`);
    await rp.waitForFunction(() => Number(document.querySelector('[data-testid="lineage-table"]')?.getAttribute("data-count") || 0) >= 2,
                             null, { timeout: 30000 });
    report.lineage = { rows: await countOf(rp, "lineage-table"), run_links: await rp.locator('[data-testid^="lineage-run-"]').count() };
    await shot(rp, "22-dataset-lineage-en");
    await rp.goto(`${base}/datasets/${ing.v1}?tab=validation`);
    await points(rp, "chart-problems");
    await shot(rp, "25-dataset-validation-en");
    await rp.goto(`${base}/datasets/${ing.v3}?tab=universes`);
    await rp.click(tid("universe-new"));
    await rp.locator(tid("universe-market")).first().waitFor();
    await shot(rp, "26-universe-dialog-en");
  });
  await rp.context().close();

  // ---- an admin archives the uploaded version from its versions tab
  await part("archive", async () => {
    const ad = await newPage();
    await signIn(ad, spec.admin, `${report.upload?.path ?? "/datasets"}?tab=versions`);
    await ad.locator(tid("version-archive-1")).click({ timeout: 30000 });
    await ad.locator(".el-message-box .el-button--primary").click();
    await ad.locator(tid("version-archived")).waitFor({ timeout: 30000 });
    report.archived = { badge: await ad.locator(tid("version-archived")).count() };
    await ad.reload();
    await ad.locator(tid("dataset-archived")).waitFor({ timeout: 30000 });
    await shot(ad, "27-dataset-archived-zh");
    await ad.context().close();
  });

  // ---- a viewer: no upload, generate, universe or archive control
  await part("viewer datasets", async () => {
    const vw = await newPage();
    await signIn(vw, spec.viewer, "/datasets");
    await vw.locator(tid("datasets-table")).waitFor();
    report.viewer_datasets = { upload: await vw.locator(tid("upload-dataset")).count(),
                               generate: await vw.locator(tid("generate-dataset")).count() };
    await vw.goto(`${base}/datasets/${ing.v3}?tab=universes`);
    await vw.locator(tid("markets-table")).waitFor();
    await vw.locator(tid("market-top10")).waitFor({ timeout: 30000 });
    report.viewer_datasets.universe = await vw.locator(tid("universe-new")).count();
    await vw.goto(`${base}/datasets/${ing.v3}?tab=versions`);
    await vw.waitForFunction(() => Number(document.querySelector('[data-testid="versions-table"]')?.getAttribute("data-count") || 0) >= 3,
                             null, { timeout: 30000 });
    report.viewer_datasets.archive = await vw.locator('[data-testid^="version-archive-"]').count();
    await vw.context().close();
  });
} catch (e) {
  report.errors.push(String(e?.stack || e).slice(0, 2000));
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
