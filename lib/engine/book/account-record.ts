/**
 * Fields of an account's hot record in `LiveBook.acc`: 4 float64 (32 bytes) per account, what a
 * tick updates. Equity is `collateral + Σ uPnL`; the sums are kept by deltas (the drift guard in
 * `LiveBook` recomputes them now and then).
 */
export const A_COLLATERAL = 0;
export const A_UPNL = 1;
export const A_MM = 2;
export const A_IM = 3;
export const A_STRIDE = 4;
