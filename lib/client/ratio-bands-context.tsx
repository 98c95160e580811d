"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import type { RiskParams } from "@/lib/risk";
import { ratioBands, type RatioBands } from "./ratio-bands";

const Bands = createContext<RatioBands | null>(null);

/** The margin-ratio bands of the parameters the server runs with, for everything below it (a page's root view). */
export function RatioBandsProvider({ params, children }: { params: Pick<RiskParams, "warnRatio" | "backstopFraction">; children: ReactNode }) {
  const bands = useMemo(() => ratioBands(params), [params.warnRatio, params.backstopFraction]); // eslint-disable-line react-hooks/exhaustive-deps
  return <Bands.Provider value={bands}>{children}</Bands.Provider>;
}

/** The bands of the page's risk parameters; only under a RatioBandsProvider (there is no second source of them). */
export function useRatioBands(): RatioBands {
  const bands = useContext(Bands);
  if (!bands) throw new Error("useRatioBands: no RatioBandsProvider above (the page passes the server's riskParams)");
  return bands;
}
