// --accel auto promises KVM where it works. Under nested virtualization KVM
// may run a tiny guest but not this one (an internal error, or a silent
// hang): a pair's first boot under KVM is its trial. A failed trial, or one
// remembered from an earlier run (kvm-verdicts.ts), measures the pair under
// TCG instead, from its start, and its result says so.
import type { RunSettings } from "../run-settings.js";
import type { EntryResult } from "../types.js";
import { KVM_INTERNAL_ERROR, KvmInternalError } from "../vmm/errors.js";
import type { Accel, VmmBackend } from "../vmm/types.js";
import { pairWarnings } from "../../warnings/warnings.js";
import { KvmVerdicts, type TrialSubject } from "./kvm-verdicts.js";

/** How long a pair's trial boot may take under KVM before TCG is tried: a hang must not cost the whole --timeout. */
export const KVM_TRIAL_TIMEOUT_MS = 20_000;

export class KvmFallback {
  private readonly verdicts: KvmVerdicts;

  constructor(
    private readonly settings: RunSettings,
    private readonly backend: VmmBackend,
    private readonly subject: TrialSubject,
    /** The pair's result, whose accelerator, boot arguments and warnings change with a fallback. */
    private readonly result: EntryResult,
    /** The boot arguments under an accelerator (TCG may add its own). */
    private readonly bootArgsUnder: (accel: Accel) => string,
  ) {
    this.verdicts = new KvmVerdicts(settings.cacheDir);
  }

  /** Whether the pair's next boot is its trial: --accel auto, under KVM, nothing measured yet, and TCG to fall back to. */
  get onTrial(): boolean {
    const { settings, result, backend } = this;
    return settings.accel === "auto" && result.accel === "kvm" && result.iterations.length === 0 && (!backend.accels || backend.accels.includes("tcg"));
  }

  /** The timeout of the pair's next boot. */
  timeoutMs(): number {
    return this.onTrial ? Math.min(this.settings.timeoutMs, KVM_TRIAL_TIMEOUT_MS) : this.settings.timeoutMs;
  }

  /** Before the first boot: a failed trial remembered for this host and guest sends the pair to TCG at once. Returns what to tell the user. */
  async applyKnownVerdict(): Promise<string | undefined> {
    if (!this.onTrial) return undefined;
    const known = await this.verdicts.find(this.subject);
    if (!known || known.kvmWorks) return undefined;
    const reason = known.reason ?? "no reason recorded";
    this.underTcg(pairWarnings.kvmKnownToFail(known.triedAt, reason));
    return (
      `KVM cannot run this guest here, as the KVM trial of ${known.triedAt} found (${reason}); ` +
      `--accel auto measures it under TCG (delete ${this.verdicts.file} to try KVM again)`
    );
  }

  /** The trial boot failed: remembered, and the pair starts over under TCG. Returns what to tell the user. */
  async trialFailed(error: unknown): Promise<string> {
    const message = error instanceof Error ? error.message : String(error);
    // Density keeps a VM's error as its message: the words tell it too.
    const why = error instanceof KvmInternalError || message.includes(KVM_INTERNAL_ERROR) ? "a KVM internal error" : message.split("\n")[0]!;
    this.underTcg(pairWarnings.kvmTrialFailed(why));
    await this.verdicts.record(this.subject, false, why);
    return `KVM could not run this guest (${why}); --accel auto measures it under TCG instead`;
  }

  async trialPassed(): Promise<void> {
    await this.verdicts.record(this.subject, true);
  }

  private underTcg(warning: string): void {
    this.result.warnings.push(warning);
    this.result.accel = "tcg";
    this.result.bootArgs = this.bootArgsUnder("tcg");
  }
}
