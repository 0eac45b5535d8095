// One status line on a terminal showing, per repository in flight, the
// requests done out of the total expected. Does nothing when stderr is not a
// terminal, so logs captured to files stay clean.
export class ProgressLine {
  private readonly entries = new Map<string, string>();
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  private get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }

  update(repository: string, done: number, total: number): void {
    if (!this.enabled) return;
    this.entries.set(repository, `${repository} ${done}/${total} pages`);
    this.render();
  }

  finish(repository: string): void {
    this.entries.delete(repository);
    if (this.enabled) this.render();
  }

  /** Erases the line; the logger calls this before printing so lines do not mix. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write("\r\x1b[2K");
    this.shown = false;
  }

  private render(): void {
    this.clear();
    if (this.entries.size === 0) return;
    const columns = this.stream.columns || 80;
    this.stream.write([...this.entries.values()].join(" | ").slice(0, columns - 1));
    this.shown = true;
  }
}
