/**
 * The rows `offset .. offset + limit - 1` of `candidates` in `compare` order without sorting them
 * all when the page is near the top: keeps the `offset + limit` first rows in a bounded binary heap
 * (O(n log k)), then sorts those. Sorts everything when the page reaches deep into the list.
 */
export function selectPage(
  candidates: readonly number[],
  compare: (a: number, b: number) => number,
  offset: number,
  limit: number,
): number[] {
  const n = candidates.length;
  const k = Math.min(n, offset + limit);
  if (k <= 0 || offset >= n) return [];
  if (k * 8 >= n) return [...candidates].sort(compare).slice(offset, k);
  // Max-heap (by `compare`) of the k first rows seen so far: its root is the worst kept row.
  const heap: number[] = [];
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compare(heap[i]!, heap[p]!) <= 0) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && compare(heap[l]!, heap[m]!) > 0) m = l;
      if (r < heap.length && compare(heap[r]!, heap[m]!) > 0) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const c of candidates) {
    if (heap.length < k) {
      heap.push(c);
      up(heap.length - 1);
    } else if (compare(c, heap[0]!) < 0) {
      heap[0] = c;
      down(0);
    }
  }
  return heap.sort(compare).slice(offset, k);
}
