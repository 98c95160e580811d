/**
 * What the book tells an observer attached to it (`BookState.listener`; the alert evaluator,
 * lib/engine/alerts): called synchronously from inside the book's own loops, so an implementation
 * must be cheap (a few array reads and compares) and must not change the book.
 */
export interface BookListener {
  /** Account `a` was settled: its figures, collateral or status may have changed (its status is current). */
  accountSettled(a: number): void;
  /** Account `a` opened or closed a position: the markets it holds changed. */
  positionsChanged(a: number): void;
}
