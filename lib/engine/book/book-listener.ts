/**
 * What the book tells an observer attached to it (`BookState.listener`; the alert evaluator,
 * lib/engine/alerts): called synchronously from inside the book's own loops, so an implementation
 * must be cheap (a few compares, nothing allocated) and must not change the book.
 */
export interface BookListener {
  /**
   * Account `a` was settled and its status changed, or its status is one of `book.listenAlways`
   * (then on every settle: the tick path, for each holder it revalues that has such a status);
   * `statusBefore` is its status code before, `book.status[a]` its status now.
   */
  accountSettled(a: number, statusBefore: number): void;
  /** Something about account `a` its status does not show changed: a position opened or closed, its collateral crossed 0. */
  accountChanged(a: number): void;
}
