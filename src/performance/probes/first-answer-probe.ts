// A server guest's first answer as a probe: from its boot signal on, polls its
// forwarded port (HttpProbe) until a complete HTTP response arrives, and
// keeps how it asked (the attempts, the interval) for the results.
import type { Nanoseconds } from "../../clock.js";
import { HttpProbe, type HttpAnswer, type HttpProbeOptions } from "./http-probe.js";
import type { ProbedVm, ReadinessProbe } from "./readiness-probe.js";

export class FirstAnswerProbe implements ReadinessProbe {
  /** The answer that ended the polling, once it came. */
  answer?: HttpAnswer;
  private url?: string;

  constructor(private readonly options: Omit<HttpProbeOptions, "host" | "port"> = {}) {}

  async watch(vm: ProbedVm, signal: AbortSignal): Promise<Nanoseconds> {
    if (!vm.service) throw new Error("the VM has no network to ask: a server guest is launched with servedPort");
    const probe = new HttpProbe({ ...this.options, host: vm.service.host, port: vm.service.port });
    this.url = probe.url;
    // A paused guest cannot answer, and QEMU's user network would hold each attempt open: ask from the boot signal on.
    await vm.started;
    this.answer = await probe.wait({ signal });
    return this.answer.atNs;
  }

  missed(): string {
    return `the guest did not answer HTTP GET ${this.url ?? "on its forwarded port"} (polled every ${this.options.intervalMs ?? 10} ms, each attempt at most ${this.options.attemptTimeoutMs ?? 250} ms)`;
  }

  endedWithout(reason: string): string {
    return `the guest ended (${reason}) without answering HTTP GET ${this.url ?? "on its forwarded port"}`;
  }
}
