"use client";
import { useQuery } from "@tanstack/react-query";
import type { InsuranceFundView } from "@/lib/contracts/desk";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";

/** `GET /api/v1/insurance-fund`. */
export interface InsuranceFundResponse {
  fund: InsuranceFundView;
  /** Balance over time (decimal strings), oldest first. */
  history: { ts: number; balance: string }[];
}

/** The insurance fund's balance history, fetched again every 5 s while `active` (on screen; the live balance comes with the desk). */
export function useInsuranceFund(active: boolean) {
  return useQuery({
    queryKey: queryKeys.insuranceFund,
    queryFn: () => fetchJson<InsuranceFundResponse>("/api/v1/insurance-fund"),
    enabled: active,
    refetchInterval: 5000,
    staleTime: 4000,
  });
}
