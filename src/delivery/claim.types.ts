/** What a claim is asked for and what it answers, shared by claim.ts and the store's implementations. */
export interface ClaimOptions {
  now: number;
  /** Most deliveries to claim in all (free global slots). */
  limit: number;
  /** Most deliveries to claim for one hook (the per-hook cap). */
  perHook: number;
  /** Hooks already at their cap in this instance: claim nothing for them. */
  excludeHookIds: readonly string[];
  leaseMs: number;
  /** Unique to this claim: only completions carrying it may change the rows it claims. */
  leaseToken: string;
}

export interface ClaimedRef {
  id: string;
  hookId: string;
}
