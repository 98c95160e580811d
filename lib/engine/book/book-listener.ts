/**
 * What the book tells an observer attached to it (`BookState.listener`; the alert evaluator,
 * lib/engine/alerts): called synchronously from inside the book's own loops, so an implementation
 * must be cheap (a few compares, nothing allocated) and must not change the book.
 */
export interface BookListener {
  /**
   * Account `a` was settled: its figures may have moved; `statusBefore` is its status code before,
   * its status now is `book.status[a]` (the tick path calls this for every holder it revalues).
   */
  accountSettled(a: number, statusBefore: number): void;
  /** Something about account `a` its status does not show changed: a position opened or closed, its collateral crossed 0. */
  accountChanged(a: number): void;
}
