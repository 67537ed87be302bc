// The MLflow UI behind the platform's door, in a real headless Chromium:
// not logged in -> redirected to /login; after login -> the MLflow UI loads and lists experiments.
// usage: node mlflow_ui.mjs BASE_URL USER PASSWORD SCREENSHOT [EXPERIMENT_NAME [RUN_HASH_PATH RUN_TEXT]]
import { chromium } from "playwright-core";

const [base, user, password, screenshot, expectText, runPath, runText] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
const report = { api_calls_ok: 0, api_calls_failed: [] };
try {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.on("response", (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith("/mlflow/ajax-api") || u.pathname.startsWith("/mlflow/graphql")) {
      if (r.status() < 400) report.api_calls_ok += 1;
      else report.api_calls_failed.push(`${r.status()} ${r.request().method()} ${u.pathname}`);
    }
  });
  await page.goto(`${base}/mlflow/`, { waitUntil: "domcontentloaded" });
  report.before_login_url = page.url();
  await page.fill("#username", user);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/mlflow/**`), page.click("#signin")]);
  report.after_login_url = page.url();
  await page.goto(`${base}/mlflow/#/experiments`, { waitUntil: "domcontentloaded" });
  const want = expectText || "Experiments";
  await page.getByText(want, { exact: false }).first().waitFor({ timeout: 90000 });
  await page.waitForLoadState("networkidle", { timeout: 30000 }).catch(() => {});
  report.ui_loaded = true;
  report.title = await page.title();
  report.experiments_text = (await page.evaluate(() => document.body.innerText)).slice(0, 4000);
  if (runPath) {  // a run's page: GraphQL, metric history and artifact listing through the door
    await page.goto(`${base}/mlflow/${runPath}`, { waitUntil: "domcontentloaded" });
    await page.getByText(runText, { exact: false }).first().waitFor({ timeout: 90000 });
    await page.waitForLoadState("networkidle", { timeout: 30000 }).catch(() => {});
    report.run_page_text = (await page.evaluate(() => document.body.innerText)).slice(0, 4000);
  }
  await page.screenshot({ path: screenshot, fullPage: false });
} catch (err) {
  report.error = String(err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
process.exit(report.ui_loaded ? 0 : 1);
