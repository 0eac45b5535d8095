// The status line while repositories are collected: per repository in flight,
// the pages fetched out of the total expected.
import { StatusLine } from "../output/status-line.js";

export class ProgressLine {
  private readonly entries = new Map<string, string>();
  private readonly line: StatusLine;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.line = new StatusLine(stream);
  }

  update(repository: string, done: number, total: number): void {
    this.entries.set(repository, `${repository} ${done}/${total} pages`);
    this.render();
  }

  finish(repository: string): void {
    this.entries.delete(repository);
    this.render();
  }

  /** Erases the line; the logger calls this before printing so lines do not mix. */
  clear(): void {
    this.line.clear();
  }

  private render(): void {
    if (this.entries.size === 0) this.line.clear();
    else this.line.show([...this.entries.values()].join(" | "));
  }
}
