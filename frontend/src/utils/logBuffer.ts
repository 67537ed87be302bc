// A job's log lines keyed by seq, in order, each shown once: duplicates dropped, out-of-order lines held until
// the gap before them fills (or the job ends and the server says the holes are final). Pure TS, no Vue.

export interface LogLine {
  seq: number
  ts: string
  line: string
}

export class LogBuffer {
  /** The lines shown, in seq order; only ever appended to (O(batch) per frame, never copied). */
  readonly lines: LogLine[] = []
  /** The first seq not yet shown: every line below it is shown (or was a hole declared final). */
  next: number
  /** Lines received more than once (below `next`, or already held aside). */
  dupes = 0
  /** Bumped on every change, for a view to watch without deep reactivity. */
  version = 0
  /** Lines above `next`, waiting for the gap before them to fill. */
  private readonly held = new Map<number, LogLine>()

  constructor(start = 0) {
    this.next = start
  }

  /** How many lines are shown. */
  get size(): number {
    return this.lines.length
  }

  /** How many lines wait behind a gap. */
  get pending(): number {
    return this.held.size
  }

  /** Takes a frame's lines (any order, overlaps allowed); returns how many became visible. */
  append(batch: readonly LogLine[]): number {
    const before = this.lines.length
    for (const l of batch) {
      if (l.seq < this.next || this.held.has(l.seq)) {
        this.dupes++
      } else if (l.seq === this.next) {
        this.lines.push(l)
        this.next++
        this.drain()
      } else {
        this.held.set(l.seq, l)
      }
    }
    const added = this.lines.length - before
    this.version++
    return added
  }

  /** The job is over and its holes are final: show the held lines in order past the gaps; `finalNext` is the
   * server's end offset (nothing below it will come). */
  release(finalNext?: number): number {
    const before = this.lines.length
    if (this.held.size) {
      const seqs = [...this.held.keys()].sort((a, b) => a - b)
      for (const s of seqs) {
        const l = this.held.get(s)
        if (l === undefined) continue
        this.lines.push(l)
        this.next = s + 1
      }
      this.held.clear()
    }
    if (finalNext !== undefined && finalNext > this.next) this.next = finalNext
    this.version++
    return this.lines.length - before
  }

  /** All shown lines as one text (for a download). */
  text(): string {
    let out = ''
    for (const l of this.lines) out += l.line + '\n'
    return out
  }

  private drain(): void {
    let l = this.held.get(this.next)
    while (l !== undefined) {
      this.held.delete(this.next)
      this.lines.push(l)
      this.next++
      l = this.held.get(this.next)
    }
  }
}
