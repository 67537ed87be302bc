// The model registry pages in Debian's Chromium against a real `qlp up`: in Chinese, a researcher registers a third
// version from its run page, reads the models list, the model page (versions, the policy guarding @champion, the
// history) and promotes the passing version to champion through the dialog; the failing one is refused with each
// failed check listed (no override for a researcher); notes edited; an unguarded alias set and removed. An admin then
// overrides the refusal with a written reason (a blank one refused), and the version page shows the decision with it;
// the history names every action and its user. The same pages in English; a viewer without Register, Promote or Edit.
// A screenshot of every page goes into the folder given, named models-*.
// usage: node models.mjs SPEC_JSON   (base, shots, researcher, admin, viewer, model, policy, pass, fail, third)
import { chromium } from "playwright-core";

const spec = JSON.parse(process.argv[2]);
const { base, shots, model } = spec;
const report = { shots: [], errors: [], console_errors: [] };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
const tid = (t) => `[data-testid="${t}"]`;
/** An Element Plus input by its data-testid (on the input itself or on a wrapper). */
const field = (page, t) => page.locator(`input${tid(t)}, ${tid(t)} input, textarea${tid(t)}, ${tid(t)} textarea`).first();
const modelPath = `/models/${model}`;

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") report.console_errors.push(m.text().slice(0, 300)); });
  page.on("pageerror", (e) => report.errors.push(String(e).slice(0, 300)));
  return page;
}

/** A screenshot, and whether anything sticks out sideways (a page wider than the window, or its main area). */
async function shot(page, name) {
  await page.waitForTimeout(300);
  const path = `${shots}/models-${name}.png`;
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

async function part(name, fn) {
  try {
    await fn();
  } catch (e) {
    report.errors.push(`${name}: ${String(e?.stack || e).slice(0, 1500)}`);
  }
}

/** Waits until an element's data-count is at least n. */
async function countAtLeast(page, testid, n) {
  await page.waitForFunction(([t, k]) => Number(document.querySelector(`[data-testid="${t}"]`)?.getAttribute("data-count") ?? -1) >= k,
                             [testid, n], { timeout: 30000 });
}

const texts = (page, sel) => page.locator(sel).evaluateAll((els) => els.map((e) => e.textContent.trim()));
const attrs = (page, sel, a) => page.locator(sel).evaluateAll((els, x) => els.map((e) => e.getAttribute(x)), a);
const crumb = (page) => page.locator(".crumb").innerText();

/** Picks (or types) an option of a filterable el-select. */
async function choose(page, testid, text) {
  await page.locator(tid(testid)).click();
  await page.keyboard.type(text);
  await page.waitForTimeout(200);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(200);
}

async function visibleDialog(page, testid) {
  const d = page.locator(`${tid(testid)}`).locator("visible=true").first();
  await d.waitFor({ state: "visible", timeout: 15000 });
  return d;
}

async function versionState(page) {
  return {
    title: await page.locator(tid("version-title")).innerText(),
    aliases: await attrs(page, `.title-row ${tid("alias-tag")}`, "data-alias"),
    decisions: await page.locator(`${tid("version-decisions")} ${tid("decision")}`).evaluateAll((els) => els.map((e) => ({
      id: Number(e.getAttribute("data-id")),
      outcome: e.getAttribute("data-outcome"),
      checks: [...e.querySelectorAll('[data-testid="check-name"]')].map((c) => c.textContent.trim()),
      verdicts: [...e.querySelectorAll('[data-testid="check-verdict"]')].map((c) => c.getAttribute("data-passed")),
      values: [...e.querySelectorAll('[data-testid="check-value"]')].map((c) => c.textContent.trim()),
      bounds: [...e.querySelectorAll('[data-testid="check-bound"]')].map((c) => c.textContent.trim()),
      reasons: [...e.querySelectorAll('[data-testid="check-reason"]')].map((c) => c.textContent.trim()),
      override: e.querySelector('[data-testid="decision-override-reason"]')?.textContent.trim() ?? null,
      by: e.querySelector('[data-testid="decision-by"]')?.textContent.trim(),
    }))),
    alias_events: await attrs(page, `${tid("alias-history")} ${tid("event-action")}`, "data-action"),
    promote: await page.locator(tid("promote-open")).count(),
    edit: await page.locator(tid("notes-edit")).count(),
    remove: await page.locator('[data-testid^="remove-alias-"]').count(),
  };
}

async function openVersion(page, v) {
  await page.goto(`${base}${modelPath}/versions/${v}`);
  await page.locator(tid("version-lineage")).waitFor({ timeout: 30000 });
  await page.waitForTimeout(200);
}

/** Opens the promote dialog for an alias, submits; returns what the dialog shows then. */
async function promoteVia(page, alias) {
  await page.click(tid("promote-open"));
  const dlg = await visibleDialog(page, "promote-dialog");
  await choose(page, "promote-alias", alias);
  const guard = await dlg.locator(tid("promote-guard")).getAttribute("data-policy");
  const bounds = await texts(dlg, tid("policy-bound"));
  return { dlg, guard, bounds };
}

try {
  const page = await newPage();
  // ---- a researcher, in Chinese: register a third version from its run page
  await part("register", async () => {
    await signIn(page, spec.researcher, `/experiments/runs/${spec.third.run_id}`);
    await page.locator(tid("run-register")).waitFor({ timeout: 30000 });
    report.lang = await page.evaluate(() => document.documentElement.lang);
    report.nav_zh = await page.locator(tid("nav")).innerText();
    await page.click(tid("run-register"));
    const dlg = await visibleDialog(page, "register-dialog");
    await choose(page, "register-name", model);
    report.register = { kind: await dlg.locator(tid("register-kind")).innerText(),
                        is_new: await dlg.locator(tid("register-kind")).getAttribute("data-new") };
    await field(page, "register-notes").fill("注册自运行页面");
    await shot(page, "01-register-dialog-zh");
    await page.click(tid("register-submit"));
    await dlg.locator(tid("register-done")).waitFor({ timeout: 30000 });
    report.register.done = await dlg.locator(tid("register-done")).innerText();
    report.register.link = await dlg.locator(tid("register-open")).getAttribute("href");
    await shot(page, "02-registered-zh");
    await dlg.locator(tid("register-open")).click();
    await page.waitForURL((u) => u.pathname.endsWith("/versions/3"), { timeout: 15000 });
    await page.locator(tid("version-lineage")).waitFor({ timeout: 30000 });
    report.register.page = new URL(page.url()).pathname;
    report.third_page = {
      ...(await versionState(page)),
      run: await page.locator(tid("lineage-run")).getAttribute("href"),
      job: await page.locator(tid("lineage-job")).getAttribute("href"),
      dataset: await page.locator(tid("lineage-dataset")).innerText(),
      dataset_link: await page.locator(tid("lineage-dataset")).getAttribute("href"),
      dataset_hash: await page.locator(tid("lineage-dataset-hash")).innerText(),
      config_hash: await page.locator(tid("lineage-config-hash")).innerText(),
      model_class: await page.locator(tid("lineage-class")).innerText(),
      by: await page.locator(tid("lineage-by")).innerText(),
      notes: await page.locator(tid("notes-text")).innerText(),
      formats: await texts(page, tid("file-format")),
      safe: await attrs(page, tid("file-safe"), "data-safe"),
      metric_keys: await attrs(page, `${tid("version-metrics")} .card`, "data-key"),
    };
    await shot(page, "03-version-zh");
  });

  // ---- the models list, filtered by name
  await part("list", async () => {
    await page.click(tid("nav-models"));
    await page.waitForURL((u) => u.pathname === "/models");
    await countAtLeast(page, "models-table", 1);
    await field(page, "models-filter").fill(model);
    await countAtLeast(page, "models-table", 1);
    await page.waitForFunction(() => document.querySelector('[data-testid="models-table"]')?.getAttribute("data-count") === "1");
    const row = page.locator(`${tid("models-table")} .el-table__body tbody tr`).first();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="model-metric"]')].some((e) => e.textContent.trim() !== "—"));
    report.list = {
      crumb: await crumb(page),
      count: await page.locator(tid("models-count")).innerText(),
      rows: Number(await page.locator(tid("models-table")).getAttribute("data-count")),
      name: await row.locator(tid("model-link")).innerText(),
      latest: await row.locator(tid("model-latest")).innerText(),
      aliases: await row.locator(tid("alias-tags")).innerText(),
      metrics: Object.fromEntries(await row.locator(tid("model-metric")).evaluateAll((els) => els.map((e) => [e.getAttribute("data-metric"), e.textContent.trim()]))),
    };
    await field(page, "models-filter").fill("no-such-model-zzz");
    await page.waitForFunction(() => document.querySelector('[data-testid="models-table"]')?.getAttribute("data-count") === "0");
    report.list.filtered_out = Number(await page.locator(tid("models-table")).getAttribute("data-count"));
    await field(page, "models-filter").fill(model);
    await shot(page, "04-list-zh");
  });

  // ---- the model page
  await part("model", async () => {
    await page.locator(`${tid("model-link")}[data-name="${model}"]`).click();
    await countAtLeast(page, "versions-table", 3);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="version-safe"]').length >= 3);
    report.model = {
      path: new URL(page.url()).pathname,
      versions: await attrs(page, tid("version-link"), "data-version"),
      runs: await attrs(page, tid("version-run"), "href"),
      datasets: await texts(page, tid("version-dataset")),
      classes: await texts(page, tid("version-class")),
      safe: await attrs(page, tid("version-safe"), "data-safe"),
      by: await texts(page, tid("version-by")),
      rank_ic: await texts(page, `${tid("version-metric")}[data-metric="Rank IC"]`),
      policies: await attrs(page, tid("policy"), "data-name"),
      policy_aliases: await texts(page, tid("policy-alias")),
      policy_bounds: await texts(page, tid("policy-bound")),
      history: await attrs(page, `${tid("model-history")} ${tid("event-action")}`, "data-action"),
    };
    await shot(page, "05-model-zh");
  });

  // ---- promote the passing version to champion
  await part("promote-pass", async () => {
    await openVersion(page, spec.pass.version);
    const { dlg, guard, bounds } = await promoteVia(page, "champion");
    report.promote_pass = { guard, bounds, holder: await dlg.locator(tid("promote-holder")).count() };
    await shot(page, "06-promote-dialog-zh");
    await page.click(tid("promote-submit"));
    await page.locator(".el-message--success").first().waitFor({ timeout: 30000 });
    report.promote_pass.message = await page.locator(".el-message--success").first().innerText();
    await page.waitForFunction(() => document.querySelector('[data-testid="version-decisions"]')?.getAttribute("data-count") === "1");
    await page.locator(`.title-row ${tid("alias-tag")}`).first().waitFor({ timeout: 15000 });
    report.promote_pass.page = await versionState(page);
    await shot(page, "07-promoted-zh");
  });

  // ---- notes edited by the researcher
  await part("notes", async () => {
    await page.click(tid("notes-edit"));
    await field(page, "notes-input").fill("冠军候选：Rank IC 最高");
    await page.click(tid("notes-save"));
    await page.locator(tid("notes-text")).waitFor({ timeout: 15000 });
    report.notes = await page.locator(tid("notes-text")).innerText();
  });

  // ---- the failing version: refused, each failed check listed, no override for a researcher
  await part("promote-fail", async () => {
    await openVersion(page, spec.fail.version);
    const { dlg, guard } = await promoteVia(page, "champion");
    report.promote_fail = { guard, holder: await dlg.locator(tid("promote-holder")).innerText() };
    await page.click(tid("promote-submit"));
    await dlg.locator(tid("promote-refused")).waitFor({ timeout: 30000 });
    const refused = dlg.locator(tid("promote-refused"));
    report.promote_fail.title = await refused.locator(".el-alert__title").first().innerText();
    report.promote_fail.checks = await texts(refused, tid("check-name"));
    report.promote_fail.reasons = await texts(refused, tid("check-reason"));
    report.promote_fail.values = await texts(refused, tid("check-value"));
    report.promote_fail.bounds = await texts(refused, tid("check-bound"));
    report.promote_fail.admin_only = await dlg.locator(tid("override-admin-only")).count();
    report.promote_fail.override_box = await dlg.locator(tid("override-box")).count();
    await shot(page, "08-refused-zh");
    await dlg.locator(".el-dialog__headerbtn").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="version-decisions"]')?.getAttribute("data-count") === "1");
    report.promote_fail.page = await versionState(page);
  });

  // ---- an unguarded alias: set at once, then removed
  await part("unguarded", async () => {
    await openVersion(page, 3);
    const { guard } = await promoteVia(page, "challenger");
    report.unguarded = { guard, hint: await page.locator(`${tid("promote-guard")} .el-alert__title`).locator("visible=true").first().innerText() };
    await page.click(tid("promote-submit"));
    await page.locator(tid("remove-alias-challenger")).waitFor({ timeout: 30000 });
    report.unguarded.aliases = await attrs(page, `.title-row ${tid("alias-tag")}`, "data-alias");
    await page.click(tid("remove-alias-challenger"));
    await visibleDialog(page, "remove-dialog");
    await shot(page, "09-remove-dialog-zh");
    await page.click(tid("remove-submit"));
    await page.waitForFunction(() => !document.querySelector('[data-testid="remove-alias-challenger"]'), null, { timeout: 30000 });
    report.unguarded.after = await attrs(page, `.title-row ${tid("alias-tag")}`, "data-alias");
    report.unguarded.events = await attrs(page, `${tid("alias-history")} ${tid("event-action")}`, "data-action");
  });
  await page.context().close();

  // ---- an admin overrides the refusal with a written reason
  const admin = await newPage();
  await part("override", async () => {
    await signIn(admin, spec.admin, `${modelPath}/versions/${spec.fail.version}`);
    await admin.locator(tid("version-lineage")).waitFor({ timeout: 30000 });
    const { dlg } = await promoteVia(admin, "champion");
    await admin.click(tid("promote-submit"));
    await dlg.locator(tid("override-box")).waitFor({ timeout: 30000 });
    report.override = { checks: await texts(dlg.locator(tid("promote-refused")), tid("check-name")) };
    await admin.click(tid("override-submit"));  // no reason yet
    await dlg.locator(tid("promote-error")).waitFor({ timeout: 10000 });
    report.override.blank = await dlg.locator(tid("promote-error")).innerText();
    await field(admin, "override-reason").fill(spec.reason);
    await shot(admin, "10-override-zh");
    await admin.click(tid("override-submit"));
    await admin.locator(".el-message--success").first().waitFor({ timeout: 30000 });
    report.override.message = await admin.locator(".el-message--success").first().innerText();
    await admin.waitForFunction(() => document.querySelector('[data-testid="decision-override"]'), null, { timeout: 30000 });
    report.override.page = await versionState(admin);
    await admin.evaluate(() => document.querySelector('[data-testid="version-decisions"]')?.scrollIntoView({ block: "start" }));
    await shot(admin, "11-overridden-zh");
    await admin.goto(`${base}${modelPath}`);
    await countAtLeast(admin, "model-history", 8);
    report.history = await admin.locator(`${tid("model-history")} .el-table__body tbody tr`).evaluateAll((trs) => trs.map((tr) => ({
      action: tr.querySelector('[data-testid="event-action"]')?.getAttribute("data-action"),
      user: tr.querySelector('[data-testid="event-user"]')?.textContent.trim(),
      target: tr.querySelector('[data-testid="event-target"]')?.textContent.trim(),
      detail: tr.querySelector('[data-testid="event-detail"]')?.textContent.trim(),
    })));
    report.model_after = { aliases: await attrs(admin, `.title-row ${tid("alias-tag")}`, "data-alias"),
                           versions: await attrs(admin, `.title-row ${tid("alias-tag")}`, "data-version"),
                           rows: await texts(admin, tid("version-aliases")) };
    await admin.locator(tid("model-history")).scrollIntoViewIfNeeded();
    await shot(admin, "12-history-zh");
  });

  // ---- English
  await part("english", async () => {
    await admin.click(tid("locale-en"));
    await admin.waitForFunction(() => document.documentElement.lang === "en");
    report.nav_en = await admin.locator(tid("nav")).innerText();
    await admin.evaluate(() => { document.querySelector(".el-main").scrollTop = 0; });
    await countAtLeast(admin, "versions-table", 3);
    report.en = { crumb: await crumb(admin), heads: await texts(admin, "h2") };
    await shot(admin, "13-model-en");
    await admin.goto(`${base}/models`);
    await countAtLeast(admin, "models-table", 1);
    report.en.count = await admin.locator(tid("models-count")).innerText();
    await shot(admin, "14-list-en");
    await openVersion(admin, spec.fail.version);
    report.en.version = await versionState(admin);
    report.en.outcomes = await texts(admin, tid("decision-outcome"));
    await shot(admin, "15-version-en");
    await admin.evaluate(() => document.querySelector('[data-testid="version-decisions"]')?.scrollIntoView({ block: "start" }));
    await shot(admin, "16-decisions-en");
    await admin.click(tid("locale-zh"));
  });
  await admin.context().close();

  // ---- a viewer: nothing to change
  const vw = await newPage();
  await part("viewer", async () => {
    await signIn(vw, spec.viewer, `${modelPath}/versions/${spec.fail.version}`);
    await vw.locator(tid("version-lineage")).waitFor({ timeout: 30000 });
    report.viewer = await versionState(vw);
    await shot(vw, "17-viewer-version-zh");
    await vw.goto(`${base}/experiments/runs/${spec.third.run_id}`);
    await vw.locator(tid("run-name")).waitFor({ timeout: 30000 });
    await vw.locator(tid("run-metrics")).waitFor({ timeout: 30000 });
    report.viewer.register = await vw.locator(tid("run-register")).count();
    await vw.goto(`${base}/models`);
    await countAtLeast(vw, "models-table", 1);
    report.viewer.nav = await vw.locator(tid("nav")).innerText();
  });
  await vw.context().close();
} catch (e) {
  report.errors.push(String(e?.stack || e).slice(0, 2000));
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
