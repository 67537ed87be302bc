// LogBuffer: every seq shown once and in order, whatever order, overlap or repetition the frames come in.
import { describe, expect, it } from 'vitest'
import { LogBuffer, type LogLine } from '@/utils/logBuffer'

function lines(from: number, to: number): LogLine[] {
  const out: LogLine[] = []
  for (let s = from; s < to; s++) out.push({ seq: s, ts: '2024-01-01T00:00:00Z', line: `line ${s}` })
  return out
}
const seqs = (b: LogBuffer) => b.lines.map((l) => l.seq)
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

describe('LogBuffer', () => {
  it('takes in-order frames', () => {
    const b = new LogBuffer()
    expect(b.append(lines(0, 3))).toBe(3)
    expect(b.append(lines(3, 5))).toBe(2)
    expect(seqs(b)).toEqual(range(5))
    expect(b.next).toBe(5)
    expect(b.dupes).toBe(0)
    expect(b.lines[4]?.line).toBe('line 4')
  })

  it('drops a duplicate frame and counts it', () => {
    const b = new LogBuffer()
    b.append(lines(0, 10))
    expect(b.append(lines(0, 10))).toBe(0)
    expect(seqs(b)).toEqual(range(10))
    expect(b.dupes).toBe(10)
  })

  it('keeps only the new part of overlapping frames', () => {
    const b = new LogBuffer()
    b.append(lines(0, 10))
    expect(b.append(lines(5, 15))).toBe(5)
    expect(seqs(b)).toEqual(range(15))
    expect(b.dupes).toBe(5)
  })

  it('holds out-of-order lines until the gap fills, showing none twice', () => {
    const b = new LogBuffer()
    b.append(lines(0, 5))
    expect(b.append(lines(10, 15))).toBe(0) // after a gap: held, not shown
    expect(b.size).toBe(5)
    expect(b.pending).toBe(5)
    expect(b.next).toBe(5)
    expect(b.append(lines(12, 14))).toBe(0) // a repeat of held lines
    expect(b.dupes).toBe(2)
    expect(b.append(lines(7, 10))).toBe(0) // still a gap at 5..6
    expect(b.append(lines(5, 7))).toBe(10) // the gap fills: 5..14 joined
    expect(seqs(b)).toEqual(range(15))
    expect(b.pending).toBe(0)
    expect(b.next).toBe(15)
  })

  it('takes a frame whose lines come later seqs first', () => {
    const b = new LogBuffer()
    b.append(lines(0, 20).reverse())
    expect(seqs(b)).toEqual(range(20))
    expect(b.dupes).toBe(0)
  })

  it('resumes after a drop from next: exactly 0..N-1, each once', () => {
    const N = 1200
    const b = new LogBuffer()
    // the first connection delivers 0..499 in frames of 100, then drops
    for (let s = 0; s < 500; s += 100) b.append(lines(s, s + 100))
    const offset = b.next
    expect(offset).toBe(500)
    // the reconnect follows from `next`; the server resends from there (and, being generous, a bit before)
    b.append(lines(offset - 50, offset + 100))
    for (let s = offset + 100; s < N; s += 100) b.append(lines(s, Math.min(N, s + 100)))
    expect(seqs(b)).toEqual(range(N))
    expect(new Set(seqs(b)).size).toBe(N)
    expect(b.dupes).toBe(50)
  })

  it('releases held lines past final holes when the job ends', () => {
    const b = new LogBuffer()
    b.append(lines(0, 3))
    b.append(lines(5, 8)) // 3 and 4 were never stored
    b.append(lines(9, 10)) // 8 neither
    expect(b.size).toBe(3)
    expect(b.release(10)).toBe(4)
    expect(seqs(b)).toEqual([0, 1, 2, 5, 6, 7, 9])
    expect(b.next).toBe(10)
    expect(b.append(lines(3, 5))).toBe(0) // a late hole line is below next now: a duplicate
    expect(b.release(12)).toBe(0)
    expect(b.next).toBe(12)
  })

  it('appends 100,000 lines in batches of 500', () => {
    const b = new LogBuffer()
    for (let s = 0; s < 100_000; s += 500) b.append(lines(s, s + 500))
    expect(b.size).toBe(100_000)
    expect(b.next).toBe(100_000)
    expect(b.lines[99_999]?.seq).toBe(99_999)
    expect(b.text().split('\n').length).toBe(100_001)
  })
})
