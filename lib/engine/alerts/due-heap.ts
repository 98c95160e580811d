/**
 * Pending raises and clears by due time: a binary min-heap of (due, rule, subject index). Entries are never
 * removed early; whoever pops one checks that it is still pending (a cancelled or re-started wait
 * leaves its old entry behind, skipped when it comes up).
 */
export class DueHeap<R> {
  private due: number[] = [];
  private rule: R[] = [];
  private subject: number[] = [];

  get size(): number {
    return this.due.length;
  }

  /** The earliest due time, `Infinity` when empty. */
  peek(): number {
    return this.due.length > 0 ? this.due[0]! : Infinity;
  }

  push(due: number, rule: R, subject: number): void {
    let i = this.due.length;
    this.due.push(due);
    this.rule.push(rule);
    this.subject.push(subject);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.due[p]! <= due) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, due, rule, subject);
  }

  /** Removes the earliest entry and hands it to `visit`. */
  pop(visit: (due: number, rule: R, subject: number) => void): void {
    const n = this.due.length;
    if (n === 0) return;
    const due = this.due[0]!;
    const rule = this.rule[0]!;
    const subject = this.subject[0]!;
    const lastDue = this.due.pop()!;
    const lastRule = this.rule.pop()!;
    const lastSubject = this.subject.pop()!;
    if (n > 1) {
      let i = 0;
      const m = n - 1;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= m) break;
        const c = l + 1 < m && this.due[l + 1]! < this.due[l]! ? l + 1 : l;
        if (this.due[c]! >= lastDue) break;
        this.move(c, i);
        i = c;
      }
      this.set(i, lastDue, lastRule, lastSubject);
    }
    visit(due, rule, subject);
  }

  clear(): void {
    this.due = [];
    this.rule = [];
    this.subject = [];
  }

  private move(from: number, to: number): void {
    this.set(to, this.due[from]!, this.rule[from]!, this.subject[from]!);
  }

  private set(i: number, due: number, rule: R, subject: number): void {
    this.due[i] = due;
    this.rule[i] = rule;
    this.subject[i] = subject;
  }
}
