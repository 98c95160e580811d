"use client";
import { useMutation } from "@tanstack/react-query";
import type { DeskStressRequest, DeskStressResponse } from "@/lib/contracts/desk";
import { postJson } from "./fetch-json";

/** Runs a stress test (spec §8) against the live book: `POST /api/v1/stress`. */
export function useStress() {
  return useMutation({
    mutationFn: (request: DeskStressRequest) => postJson<DeskStressResponse>("/api/v1/stress", request),
  });
}
