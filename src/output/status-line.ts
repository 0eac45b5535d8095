// One line of live status on a terminal, redrawn in place; silent when the
// stream is not a terminal, so logs captured to files or pipes stay clean.
export class StatusLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }

  show(text: string): void {
    if (!this.enabled) return;
    this.clear();
    if (!text) return;
    const columns = this.stream.columns || 80;
    this.stream.write(text.slice(0, columns - 1));
    this.shown = true;
  }

  /** Erases the line; loggers call this before printing so that lines do not mix. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write("\r\x1b[2K");
    this.shown = false;
  }
}
