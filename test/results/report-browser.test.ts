// The HTML report in headless Chromium (Debian's, driven by playwright-core):
// every chart renders with the runs' data points, no network request is
// attempted, and a screenshot is kept in test-artifacts/report.png.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { mean, quantile } from "simple-statistics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOT_PHASE_LABELS, BOOT_PHASES } from "../../src/vocabulary/boot-phases.js";
import { runCli } from "../helpers/cli.js";
import { PROJECT_ROOT, TEST_CACHE_DIR } from "../paths.js";
import type { PerformanceRun } from "../../src/results/schema.js";
import { SqliteStore } from "../../src/results/store/sqlite-store.js";
import { communityStoredRun } from "../../src/results/store/stored-run.js";
import { communityReport, syntheticCommunityRun } from "./fixtures.js";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const SCREENSHOT = path.join(PROJECT_ROOT, "test-artifacts", "report.png");

let resultsDir: string;
let userDataDir: string;
let context: BrowserContext;
let runs: PerformanceRun[];
const community = syntheticCommunityRun("20261126T090000Z-c0de", [
  communityReport("cloudius-systems", "osv", 3910),
  communityReport("unikraft", "unikraft", 1500),
  communityReport("nanovms", "nanos", 2600),
]);

beforeAll(async () => {
  resultsDir = await mkdtemp(path.join(os.tmpdir(), "report-browser-"));
  userDataDir = await mkdtemp(path.join(os.tmpdir(), "report-chromium-"));
  // Two real runs, so the report sets two target/VMM pairs side by side.
  runs = [];
  for (const vmm of ["qemu-microvm", "qemu"]) {
    const result = await runCli(["performance", `null:${vmm}`, "--accel", "tcg", "-n", "6", "-w", "1", "--output", "json", "--results-dir", resultsDir, "--cache-dir", TEST_CACHE_DIR]);
    expect(result.code, result.stderr).toBe(0);
    runs.push(JSON.parse(result.stdout) as PerformanceRun);
  }
  const store = await SqliteStore.open(resultsDir);
  await store.save(communityStoredRun(community));
  store.close();
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } });
});
afterAll(async () => {
  await context?.close();
  await rm(userDataDir, { recursive: true, force: true });
  await rm(resultsDir, { recursive: true, force: true });
});

interface RenderedChart {
  id: string;
  series: Array<{ type: string; name: string; data: unknown[] }>;
  /** Data items ECharts laid out (its model's count), per series. */
  laidOut: number[];
  canvas: { width: number; height: number; inkedPixels: number };
}

/**
 * Runs in the page (plain JavaScript: this project's TypeScript has no DOM
 * types): each chart's series as ECharts holds them, how many items it laid
 * out, and how much of its canvas is drawn on.
 */
const READ_CHARTS = `[...document.querySelectorAll("[data-chart]")].map((element) => {
  const chart = echarts.getInstanceByDom(element);
  const option = chart.getOption();
  const canvas = element.querySelector("canvas");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inkedPixels = 0;
  for (let k = 0; k < pixels.length; k += 4) if (pixels[k + 3] > 0 && (pixels[k] < 200 || pixels[k + 1] < 200 || pixels[k + 2] < 200)) inkedPixels++;
  return {
    id: element.dataset.chart,
    series: option.series.map((s) => ({ type: s.type, name: s.name, data: s.data })),
    laidOut: option.series.map((_, k) => chart.getModel().getSeriesByIndex(k).getData().count()),
    canvas: { width: canvas.width, height: canvas.height, inkedPixels },
  };
})`;

const ALL_CHARTS_RENDERED = `document.querySelectorAll("[data-chart]").length > 0 && [...document.querySelectorAll("[data-chart]")].every((e) => e.dataset.rendered === "true")`;

function measured(run: PerformanceRun) {
  return run.results[0]!.iterations.filter((i) => !i.warmup);
}

describe("report in Chromium", () => {
  it("draws every chart with the runs' data points, offline, and keeps a screenshot", async () => {
    const file = path.join(resultsDir, "report.html");
    const made = await runCli(["report", runs[0]!.runId, runs[1]!.runId, community.runId!, "--results-dir", resultsDir, "-o", file]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toContain(`written to ${file}`);

    const page = await context.newPage();
    const remote: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      remote.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(ALL_CHARTS_RENDERED);

    const charts = (await page.evaluate(READ_CHARTS)) as RenderedChart[];

    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    await page.close();

    expect(errors).toEqual([]);
    expect(remote).toEqual([]);
    expect(charts.map((c) => c.id)).toEqual(["boot-time", "run-time", "peak-memory", "boot-phases", "image-size", "memory-over-time", "community-counts", "community-response-times"]);
    for (const chart of charts) {
      expect(chart.canvas.width, chart.id).toBeGreaterThan(300);
      expect(chart.canvas.inkedPixels, `${chart.id} has something drawn`).toBeGreaterThan(500);
      expect(chart.laidOut, chart.id).toEqual(chart.series.map((s) => s.data.length));
    }
    const byId = Object.fromEntries(charts.map((c) => [c.id, c]));

    // Distributions: one box per run (target · VMM) and every measured iteration as a point.
    const distributions = { "boot-time": (i: ReturnType<typeof measured>[number]) => i.bootNs / 1e6, "run-time": (i: ReturnType<typeof measured>[number]) => i.runNs / 1e6, "peak-memory": (i: ReturnType<typeof measured>[number]) => i.peakRssBytes / 2 ** 20 };
    for (const [id, value] of Object.entries(distributions)) {
      const [boxes, points] = byId[id]!.series;
      expect(boxes!.type).toBe("boxplot");
      const samples = runs.map((run) => measured(run).map(value));
      expect(points!.data).toEqual(samples.flatMap((values, c) => values.map((v) => [c, v])));
      expect((boxes!.data as number[][]).map((b) => b[2])).toEqual(samples.map((values) => quantile(values, 0.5)));
      expect((boxes!.data as number[][]).map((b) => [b[0], b[4]])).toEqual(samples.map((values) => [Math.min(...values), Math.max(...values)]));
    }
    // Boot phases: one stacked bar per run, each phase's mean over the measured iterations.
    const phases = byId["boot-phases"]!;
    expect(phases.series.map((s) => s.name)).toEqual(BOOT_PHASES.map((phase) => BOOT_PHASE_LABELS[phase]));
    expect(phases.series.map((s) => s.data)).toEqual(BOOT_PHASES.map((phase) => runs.map((run) => mean(measured(run).map((i) => i.phasesNs![phase])) / 1e6)));
    expect(byId["image-size"]!.series[0]!.data).toEqual(runs.map((run) => run.results[0]!.image!.sizeBytes / 2 ** 20));
    expect(byId["memory-over-time"]!.series.map((s) => s.data)).toEqual(
      runs.map((run) => {
        const series = measured(run)[0]!.memorySeries;
        return series.offsetsNs.map((ns, k) => [ns / 1e6, series.rssBytes[k]! / 2 ** 20]);
      }),
    );
    // Community: the repositories side by side, one series each.
    const counts = byId["community-counts"]!;
    expect(counts.series.map((s) => s.name)).toEqual(["cloudius-systems/osv", "unikraft/unikraft", "nanovms/nanos"]);
    expect(counts.series.map((s) => s.data[0])).toEqual([3910, 1500, 2600]);
    expect(byId["community-response-times"]!.series[0]!.data).toEqual([12, 70.25, 5.5, null]);
  });

  it("switches a chart's value axis to a log scale and back, and starts on one with --scale log", async () => {
    const file = path.join(resultsDir, "log-report.html");
    const made = await runCli(["report", runs[0]!.runId, runs[1]!.runId, "--scale", "log", "--results-dir", resultsDir, "-o", file]);
    expect(made.code, made.stderr).toBe(0);
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(ALL_CHARTS_RENDERED);
    const axisTypes = (): Promise<Record<string, string>> =>
      page.evaluate(`Object.fromEntries([...document.querySelectorAll("[data-chart]")].map((e) => [e.dataset.chart, echarts.getInstanceByDom(e).getOption().yAxis[0].type]))`) as Promise<Record<string, string>>;
    expect(await axisTypes()).toEqual({ "boot-time": "log", "run-time": "log", "peak-memory": "log", "boot-phases": "log", "image-size": "log", "memory-over-time": "value" });
    await page.locator('[data-log-scale="boot-time"]').uncheck();
    await page.locator('[data-log-scale="boot-phases"]').uncheck();
    expect(await axisTypes()).toMatchObject({ "boot-time": "value", "boot-phases": "value", "run-time": "log" });
    await page.locator('[data-log-scale="boot-time"]').check();
    expect((await axisTypes())["boot-time"]).toBe("log");
    const charts = (await page.evaluate(READ_CHARTS)) as RenderedChart[];
    for (const chart of charts) expect(chart.canvas.inkedPixels, `${chart.id} still drawn`).toBeGreaterThan(500);
    await page.close();
  });

  it("starts bars at the axis minimum on a log scale, so that a value below 1 stands up like the others, and at 0 on a linear one", async () => {
    const file = path.join(resultsDir, "log-bars.html");
    const made = await runCli(["report", runs[0]!.runId, runs[1]!.runId, "--scale", "log", "--results-dir", resultsDir, "-o", file]);
    expect(made.code, made.stderr).toBe(0);
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(ALL_CHARTS_RENDERED);
    // Each image-size bar's ends in pixels, beside the pixels of its value and of the axis' bottom.
    const bars = (): Promise<Array<{ value: number; top: number; bottom: number; valuePixel: number; axisBottomPixel: number }>> =>
      page.evaluate(`(() => {
        const chart = echarts.getInstanceByDom(document.querySelector('[data-chart="image-size"]'));
        const data = chart.getModel().getSeriesByIndex(0).getData();
        // The value axis' minimum is the grid's bottom edge.
        const rect = chart.getModel().getComponent("grid", 0).coordinateSystem.getRect();
        const axisBottomPixel = rect.y + rect.height;
        return data.mapArray((i) => {
          const layout = data.getItemLayout(i);
          const value = data.get(data.mapDimension("y"), i);
          return { value, top: Math.min(layout.y, layout.y + layout.height), bottom: Math.max(layout.y, layout.y + layout.height),
            valuePixel: chart.convertToPixel({ yAxisIndex: 0 }, value), axisBottomPixel };
        });
      })()`) as never;
    const onLog = await bars();
    // The null guest's image is a few KiB: well below 1 MiB, where ECharts would start a bar by default.
    expect(onLog.every((b) => b.value < 1)).toBe(true);
    for (const bar of onLog) {
      expect(bar.bottom).toBeCloseTo(bar.axisBottomPixel, 0);
      expect(bar.top).toBeCloseTo(bar.valuePixel, 0);
      expect(bar.bottom - bar.top).toBeGreaterThan(10);
    }
    await page.locator('[data-log-scale="image-size"]').uncheck();
    for (const bar of await bars()) {
      expect(bar.bottom).toBeCloseTo(bar.axisBottomPixel, 0);
      expect(bar.top).toBeCloseTo(bar.valuePixel, 0);
    }
    await page.close();
  });

  it("was written automatically after each performance run", () => {
    for (const run of runs) expect(existsSync(path.join(resultsDir, "reports", `${run.runId}.html`))).toBe(true);
  });
});
