/**
 * Spec §2–§3 in one SQL query over the project's schema, as a desk would write it for a SQL
 * dashboard: every account's notional, unrealized PnL, tiered maintenance margin (per position,
 * tiers and maintenance amounts derived from `markets.tiers`), equity, MM, margin ratio and status,
 * at marks that are the median of each market's latest prices.
 *
 * `arithmetic` picks the number type the figures are computed in: `numeric` on the columns as
 * stored (Decimal(38,18): exact, what a query written on the table gets), or `float8` (every input
 * cast to double precision first, as the engine computes and as the server reads the book).
 */
export type SqlArithmetic = "numeric" | "float8";

/** `$1` = backstopFraction, `$2` = warnRatio (spec §6), both as decimal text. */
export function accountFiguresCte(t: SqlArithmetic): string {
  return `
WITH marks AS (
  SELECT market_id, (percentile_cont(0.5) WITHIN GROUP (ORDER BY price::float8))::${t} AS mark
    FROM latest_prices GROUP BY market_id
),
tier_rows AS (
  SELECT m.id AS market_id, t.k,
         -- above every cap the last tier applies: its cap is unbounded whatever it says
         CASE WHEN t.k < jsonb_array_length(m.tiers) THEN (t.tier->>'maxNotional')::${t} END AS cap,
         (t.tier->>'mmr')::${t} AS mmr,
         lead((t.tier->>'mmr')::${t}) OVER (PARTITION BY m.id ORDER BY t.k) AS next_mmr
    FROM markets m CROSS JOIN LATERAL jsonb_array_elements(m.tiers) WITH ORDINALITY AS t(tier, k)
),
tiers AS (
  -- tier k covers notionals in (cap of tier k-1, cap of tier k]; cum_k = Σ_{j<k} cap_j·(mmr_{j+1} − mmr_j)
  SELECT market_id, cap, mmr,
         lag(cap) OVER w AS floor_cap,
         coalesce(sum(cap * (next_mmr - mmr)) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cum
    FROM tier_rows WINDOW w AS (PARTITION BY market_id ORDER BY k)
),
position_figures AS (
  SELECT p.account_id,
         abs(p.qty::${t}) * mk.mark AS notional,
         p.qty::${t} * (mk.mark - p.entry_price::${t}) AS upnl,
         abs(p.qty::${t}) * mk.mark * t.mmr - t.cum AS mm
    FROM positions p
    JOIN marks mk ON mk.market_id = p.market_id
    JOIN tiers t ON t.market_id = p.market_id
                AND (t.floor_cap IS NULL OR abs(p.qty::${t}) * mk.mark > t.floor_cap)
                AND (t.cap IS NULL OR abs(p.qty::${t}) * mk.mark <= t.cap)
   WHERE p.qty <> 0
),
account_sums AS (
  SELECT a.id, a.collateral::${t} AS collateral, count(f.account_id) AS positions,
         coalesce(sum(f.notional), 0) AS notional, coalesce(sum(f.upnl), 0) AS upnl,
         coalesce(sum(abs(f.upnl)), 0) AS upnl_abs, coalesce(sum(f.mm), 0) AS mm
    FROM accounts a LEFT JOIN position_figures f ON f.account_id = a.id
   GROUP BY a.id
),
figures AS (
  SELECT id, collateral, positions, notional, upnl, upnl_abs, collateral + upnl AS equity, mm,
         CASE WHEN positions = 0 THEN 0 WHEN collateral + upnl > 0 THEN mm / (collateral + upnl) END AS margin_ratio,
         CASE WHEN positions = 0 THEN 'healthy'
              WHEN collateral + upnl <= 0 THEN 'bankrupt'
              WHEN collateral + upnl < $1::${t} * mm THEN 'backstop'
              WHEN collateral + upnl <= mm THEN 'liquidatable'
              WHEN mm / (collateral + upnl) >= $2::${t} THEN 'warning'
              ELSE 'healthy' END AS status
    FROM account_sums
)`;
}

/**
 * The dashboard's summary: accounts, Σ MM, Σ equity, Σ notional and the highest margin ratio by
 * status. Every account's figures are computed in the server; 5 rows come back.
 */
export function statusSummarySql(t: SqlArithmetic): string {
  return `${accountFiguresCte(t)}
SELECT status, count(*)::int AS accounts, sum(mm)::float8 AS mm, sum(equity)::float8 AS equity,
       sum(notional)::float8 AS notional, max(margin_ratio)::float8 AS max_margin_ratio
  FROM figures GROUP BY status ORDER BY status`;
}

/** Every account's row, to the client (the agreement check; its transfer is timed apart). */
export function everyAccountSql(t: SqlArithmetic): string {
  return `${accountFiguresCte(t)}
SELECT id, positions::int AS positions, collateral::float8 AS collateral, notional::float8 AS notional,
       upnl::float8 AS upnl, upnl_abs::float8 AS upnl_abs, equity::float8 AS equity, mm::float8 AS mm,
       margin_ratio::float8 AS margin_ratio, status
  FROM figures`;
}

export interface SqlAccountRow {
  id: string;
  positions: number;
  collateral: number;
  notional: number;
  upnl: number;
  upnl_abs: number;
  equity: number;
  mm: number;
  margin_ratio: number | null;
  status: string;
}
