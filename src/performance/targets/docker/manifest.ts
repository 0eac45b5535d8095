// The boot manifest a recipe's final image carries at MANIFEST_PATH: which
// files in the image the VMM boots, with what command line, and how the guest
// shows it is ready and ends. The tool copies those files out and boots them.
import path from "node:path";
import { z } from "zod";
import { GUEST_EXITS, TIME_UNITS } from "../types.js";
import { WORKLOADS, type Workload } from "../../../vocabulary/workloads.js";

export const MANIFEST_PATH = "/benchmark/manifest.json";

const imagePath = z
  .string()
  .refine((p) => path.posix.isAbsolute(p) && path.posix.normalize(p) === p && p !== "/", "must be an absolute, normalised path to a file in the image");

/** A QEMU option's value: no commas, which QEMU would read as the start of the next option. */
const qemuValue = z.string().regex(/^[A-Za-z0-9._:-]+$/, "must be a plain value: letters, digits, '.', '_', ':' or '-' (no commas or spaces)");

/** Machine properties and device properties a guest needs from QEMU, e.g. microvm's ioapic2=off. */
const QemuSettingsSchema = z.strictObject({
  machine: z
    .record(
      z
        .string()
        .regex(/^[a-z][a-z0-9-]*$/, "must be a machine property name, such as rtc or ioapic2")
        .refine((name) => name !== "type" && name !== "accel", "is the tool's to choose: the machine type follows the VMM (qemu: pc, qemu-microvm: microvm), the accelerator --accel"),
      qemuValue,
    )
    .optional(),
  globals: z.record(z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "must be <driver>.<property>, such as virtio-mmio.force-legacy"), qemuValue).optional(),
});

function hasCaptureGroup(pattern: string): boolean {
  try {
    return new RegExp(`${pattern}|`).exec("")!.length > 1;
  } catch {
    return false;
  }
}

export const BootManifestSchema = z
  .strictObject({
    /** Absent when the disk boots itself through its own boot loader (on QEMU's machine pc). */
    kernel: imagePath.optional(),
    initrd: imagePath.optional(),
    disk: imagePath.optional(),
    /** A VMM binary the image ships (e.g. firecracker), used when the host has none. */
    vmmBinary: imagePath.optional(),
    bootArgs: z.string(),
    /**
     * The command line of particular workloads, in place of bootArgs: a server's
     * network settings (its static address), which the other workloads do without.
     */
    workloadBootArgs: z.partialRecord(z.enum(WORKLOADS), z.string()).optional(),
    memoryMiB: z.number().int().positive().optional(),
    readyMarker: z.string().min(1),
    exit: z.enum(GUEST_EXITS),
    qemu: QemuSettingsSchema.optional(),
    /** How the guest states its own boot time on the console, recorded beside the tool's. */
    guestReportedBoot: z
      .strictObject({
        /** A regular expression for one console line; its first group is the number. */
        pattern: z.string().refine(hasCaptureGroup, "must be a regular expression with a capture group for the number"),
        unit: z.enum(TIME_UNITS),
      })
      .optional(),
  })
  .refine((m) => m.kernel !== undefined || m.disk !== undefined, {
    message: "required, unless the disk boots itself through its own boot loader: name a kernel, or a disk",
    path: ["kernel"],
  })
  .refine((m) => m.kernel !== undefined || m.bootArgs === "", {
    message: "must be empty when there is no kernel: a disk that boots itself gets no command line from the VMM",
    path: ["bootArgs"],
  });

export type BootManifest = z.infer<typeof BootManifestSchema>;

/** The command line the guest needs for `workload`. */
export function manifestBootArgs(manifest: BootManifest, workload: Workload): string {
  return manifest.workloadBootArgs?.[workload] ?? manifest.bootArgs;
}

/** The artifacts a manifest names, by role, in a fixed order. */
export function manifestArtifacts(manifest: BootManifest): Array<{ role: "kernel" | "initrd" | "disk" | "vmmBinary"; imagePath: string }> {
  const roles = [
    ["kernel", manifest.kernel],
    ["initrd", manifest.initrd],
    ["disk", manifest.disk],
    ["vmmBinary", manifest.vmmBinary],
  ] as const;
  return roles.flatMap(([role, p]) => (p ? [{ role, imagePath: p }] : []));
}

export class ManifestError extends Error {
  override readonly name = "ManifestError";
}

/** Parses a manifest's text; the error names the recipe and each wrong field. */
export function parseManifest(text: string, recipe: string): BootManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${recipe}: ${MANIFEST_PATH} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = BootManifestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join(".") : "(the manifest)";
    const missing = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
    // A record's key that its key schema refused: that schema's words, not zod's "Invalid key in record".
    const message = issue.code === "invalid_key" ? issue.issues.map((keyIssue) => keyIssue.message).join("; ") : issue.message;
    return `field "${field}": ${missing ? "required, but missing" : message}`;
  });
  throw new ManifestError(`${recipe}: invalid ${MANIFEST_PATH}: ${problems.join("; ")}`);
}
