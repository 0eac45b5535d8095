// The http workload served by the Linux baseline on real QEMU (TCG) through
// user networking, with the pieces the runner will put together: a free host
// port, the HTTP readiness probe, wrk, the stop request and the guest's count.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { checkServedCount, SERVED_LINE_PATTERN } from "../../src/performance/load/served-count.js";
import { requestStop } from "../../src/performance/load/stop-request.js";
import { runWrk } from "../../src/performance/load/wrk-load.js";
import { nsToMs } from "../../src/clock.js";
import { ConsoleWatcher } from "../../src/performance/probes/console-watcher.js";
import { HttpProbe } from "../../src/performance/probes/http-probe.js";
import { linuxGuest } from "../../src/performance/targets/local/linux-guest.js";
import { HTTP_GUEST_PORT, READY_MARKER } from "../../src/performance/targets/types.js";
import { launchWithFreeHostPort } from "../../src/performance/vmm/port-forward.js";
import { QemuBackend } from "../../src/performance/vmm/qemu/qemu-backend.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { TEST_CACHE_DIR } from "../paths.js";

const execFileAsync = promisify(execFile);

describe("the http workload on linux (QEMU, TCG, user networking)", () => {
  let privateTmp: string;

  beforeAll(async () => {
    privateTmp = await mkdtemp(path.join(os.tmpdir(), "bt-linux-http-"));
  });

  afterAll(async () => {
    await rm(privateTmp, { recursive: true, force: true });
  });

  for (const [vmm, machine] of [["qemu", "pc"], ["qemu-microvm", "microvm"]] as const) {
    it(`answers after boot on ${vmm}, serves wrk, and on the stop request counts what it answered and powers off`, async () => {
      const artifacts = await linuxGuest.build({ vmm, workload: "http", cacheDir: TEST_CACHE_DIR, log: silentLogger });
      const workDir = await mkdtemp(path.join(privateTmp, "vm-"));
      const { instance, network } = await launchWithFreeHostPort(
        new QemuBackend(vmm, machine),
        {
          artifacts,
          bootArgs: [artifacts.bootArgs, artifacts.tcgBootArgs].filter(Boolean).join(" "),
          memoryMiB: 128,
          vcpus: 1,
          accel: "tcg",
          workDir,
          log: silentLogger,
          signal: new AbortController().signal,
        },
        HTTP_GUEST_PORT,
      );
      try {
        const watcher = new ConsoleWatcher(instance.console);
        const listening = watcher.waitForMarker(READY_MARKER);
        const servedLine = watcher.watchLine(SERVED_LINE_PATTERN);
        const bootStartedNs = await instance.start();

        const answer = await new HttpProbe({ port: network.hostPort }).wait({ timeoutMs: 60_000 });
        // Answering comes after listening, and not long after: the probe polls every 10 ms.
        const listeningNs = await listening;
        expect(answer.atNs).toBeGreaterThan(listeningNs);
        expect(nsToMs(answer.atNs - bootStartedNs)).toBeLessThan(60_000);
        const { stdout: curlBody } = await execFileAsync("curl", ["-sS", "--max-time", "10", `http://127.0.0.1:${network.hostPort}/`]);
        expect(answer.body).toBe(curlBody);

        const load = await runWrk({ url: `http://127.0.0.1:${network.hostPort}/`, durationSeconds: 2, connections: 2, threads: 2 });
        expect(load.requests).toBeGreaterThan(50);
        expect(load.errors).toEqual({ connect: 0, read: 0, write: 0, status: 0, timeout: 0 });

        expect((await requestStop({ port: network.hostPort, timeoutMs: 10_000 })).status).toBe(200);
        expect((await instance.guestEnded).reason).toBe("guest-shutdown");
        const served = Number(servedLine()?.[1]);
        const verdict = checkServedCount(served, {
          generatorRequests: load.requests,
          generatorConnections: 2,
          // The probe's answered request and curl's.
          toolResponses: answer.completeResponses + 1,
          toolAbandonedRequests: answer.abandonedRequests,
        });
        expect(verdict, verdict.explanation).toMatchObject({ agrees: true });
      } finally {
        await instance.stop();
      }
      expect(await processesMentioning(workDir)).toEqual([]);
      await rm(workDir, { recursive: true, force: true });
      expect(await readdir(privateTmp)).toEqual([]);
    });
  }
});
