/** Splits a stream of text chunks into whole lines (a chunk may end mid-line or mid-character run). */
export class LineSplitter {
  private pending = '';

  /** Feeds a chunk; returns the lines it completed, without their `\n` (and `\r`). */
  push(chunk: string): string[] {
    const text = this.pending + chunk;
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map(stripCr);
  }

  /** The unterminated last line, if any; call once at end of stream. */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [stripCr(rest)];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
