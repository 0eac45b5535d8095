import { describe, expect, it } from "vitest";
import { runCommand } from "./run-command.js";

describe("runCommand", () => {
  it("returns the output of a command that succeeds", async () => {
    expect((await runCommand("sh", ["-c", "echo out"])).stdout).toBe("out\n");
  });

  it("names the failed command, its status and the tail of its stderr", async () => {
    await expect(runCommand("sh", ["-c", "echo first >&2; echo last >&2; exit 3"])).rejects.toThrow(
      /Command failed \(exit code 3\): sh -c .*\nfirst\nlast$/,
    );
  });

  it("says when the command is not installed", async () => {
    await expect(runCommand("no-such-command-bt", ["--version"])).rejects.toThrow(/Command not found: no-such-command-bt/);
  });
});
