/** Every TanStack Query key, in one place. */
export const queryKeys = {
  markets: ["markets"] as const,
};
