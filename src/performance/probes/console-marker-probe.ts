// Readiness as a line the guest prints: the ready marker every workload
// prints first thing in main(), timed at the console chunk that completes it.
import type { Nanoseconds } from "../../clock.js";
import type { ProbedVm, ReadinessProbe } from "./readiness-probe.js";

export class ConsoleMarkerProbe implements ReadinessProbe {
  constructor(readonly marker: string) {}

  watch(vm: ProbedVm): Promise<Nanoseconds> {
    return vm.console.waitForMarker(this.marker);
  }

  missed(): string {
    return `the guest did not print the ready marker '${this.marker}'`;
  }

  endedWithout(reason: string): string {
    return `the guest ended (${reason}) without printing the ready marker '${this.marker}'`;
  }
}
