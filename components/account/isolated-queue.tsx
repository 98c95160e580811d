import type { ReactNode } from "react";
import type { AccountView } from "@/lib/contracts/book-views";
import { formatCount } from "@/lib/format/quantity";
import { formatMarginRatio } from "@/lib/format/percent";
import { formatUsd } from "@/lib/format/usd";

/** The account's isolated positions that are in the liquidation queue, each a unit of its own (spec §11). */
export function queuedIsolated(view: AccountView) {
  return view.positions.filter((p) => p.isolated?.queue);
}

/**
 * The account header's queue line: its cross part's place in the queue and each isolated
 * position's own (spec §11: the queue holds one entry per unit).
 */
export function AccountQueueLine({ view, notQueuedTestId }: { view: AccountView; notQueuedTestId?: string }) {
  const isolated = queuedIsolated(view);
  return (
    <>
      {view.queue ? (
        <span className={view.queue.paused ? "paused" : "tone-bad"} data-testid="account-queue">
          {isolated.length ? "cross positions " : ""}in the liquidation queue, #{formatCount(view.queue.rank + 1)}{view.queue.paused ? " · paused" : ""}
        </span>
      ) : <span className="muted" data-testid={notQueuedTestId}>{isolated.length ? "cross positions not in the liquidation queue" : "not in the liquidation queue"}</span>}
      {isolated.map((p) => (
        <span key={p.marketId} className={p.isolated!.queue!.paused ? "paused" : "tone-bad"} data-testid={`account-isolated-queue-${p.marketId}`}>
          <span className="iso-tag">isolated {p.marketId}</span> in the liquidation queue, #{formatCount(p.isolated!.queue!.rank + 1)}{p.isolated!.queue!.paused ? " · paused" : ""}
        </span>
      ))}
    </>
  );
}

/** "What happens next" for each isolated position in the queue: liquidated alone, from its own margin. */
export function isolatedNextSteps(view: AccountView): ReactNode[] {
  return queuedIsolated(view).map((p) => {
    const unit = p.isolated!;
    const plan = unit.liquidation;
    return (
      <>
        The <span className="iso-tag">isolated {p.marketId}</span> position is at or below its own maintenance margin (margin ratio {formatMarginRatio(unit.marginRatio)}):
        it is liquidated alone{plan?.mode === "full" ? ", in full at once" : ", in steps"}, from its own margin of <b className="num">{formatUsd(unit.isolatedMargin)}</b> USD;
        the account&apos;s cross collateral is not used{plan && plan.deficit > 0 ? <>; expected deficit <b className="num tone-bad">{formatUsd(plan.deficit)}</b> USD, paid by the insurance fund</> : null}.
        {unit.topUp && unit.topUp.toMaintenance > 0 ? <> Adding more than <b className="num">{formatUsd(unit.topUp.toMaintenance)}</b> USD of margin to it takes it out of the queue.</> : null}
      </>
    );
  });
}
