/** Counts per whole second over a sliding window of `size` seconds (sparklines, packet rates). */
export class SecondBuckets {
  private readonly counts: Uint32Array;
  /** The newest second counted so far (-1 before the first). */
  private newest = -1;

  constructor(readonly size: number) {
    this.counts = new Uint32Array(size);
  }

  add(time: number, n = 1): void {
    const sec = Math.floor(time);
    if (sec < this.newest - this.size + 1) return;
    this.advance(sec);
    this.counts[sec % this.size] += n;
  }

  /** The counts of the `size` seconds ending at `now`, oldest first. */
  values(now: number): number[] {
    const end = Math.floor(now);
    this.advance(end);
    const out: number[] = [];
    for (let s = end - this.size + 1; s <= end; s++) out.push(s < 0 || s > this.newest ? 0 : this.counts[s % this.size]);
    return out;
  }

  /** Sum over the last `seconds` seconds ending at `now`. */
  sum(now: number, seconds: number): number {
    const v = this.values(now);
    let n = 0;
    for (let i = Math.max(0, v.length - seconds); i < v.length; i++) n += v[i];
    return n;
  }

  private advance(sec: number): void {
    if (sec <= this.newest) return;
    if (this.newest < 0 || sec - this.newest >= this.size) this.counts.fill(0);
    else for (let s = this.newest + 1; s <= sec; s++) this.counts[s % this.size] = 0;
    this.newest = sec;
  }
}
