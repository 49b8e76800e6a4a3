/** The stacks that have a committed plan, and where it lives (relative to the repo root). */
export const planStacks = ["dev", "staging", "prod"] as const;

export const planPath = (stack: string): string => `stacks/plans/${stack}.md`;
