import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface BudgetArgs {
  /** Budget name, unique in the account. */
  budgetName: pulumi.Input<string>;
  /** Monthly limit in USD. */
  monthlyUsd: pulumi.Input<number>;
  /** Who is emailed when actual spend crosses a threshold. */
  email: pulumi.Input<string>;
  /** Percentages of the limit that notify; defaults to 80 and 100. */
  thresholdsPercent?: ReadonlyArray<number>;
  /** Only costs carrying these tags count (activate them as cost allocation tags once per account). */
  costTags: pulumi.Input<Record<string, pulumi.Input<string>>>;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** A monthly AWS Budget on the stack's tagged costs, emailing on actual spend. */
export class Budget extends pulumi.ComponentResource {
  readonly budgetName: pulumi.Output<string>;

  constructor(name: string, args: BudgetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:Budget", name, {}, opts);
    const budget = monthlyCostBudget(this, name, args);
    this.budgetName = budget.name;
    this.registerOutputs({ budgetName: this.budgetName });
  }
}

const tagFilter = (costTags: BudgetArgs["costTags"]) =>
  pulumi.output(costTags).apply((tags) => ({
    ands: Object.entries(tags).map(([key, value]) => ({ tags: { key, values: [value] } })),
  }));

const monthlyCostBudget = (parent: pulumi.Resource, name: string, args: BudgetArgs) =>
  new aws.budgets.Budget(
    `${name}-monthly`,
    {
      name: args.budgetName,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: pulumi.output(args.monthlyUsd).apply(String),
      limitUnit: "USD",
      filterExpression: tagFilter(args.costTags),
      notifications: (args.thresholdsPercent ?? [80, 100]).map((threshold) => ({
        notificationType: "ACTUAL",
        comparisonOperator: "GREATER_THAN",
        threshold,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: [args.email],
      })),
      tags: args.tags,
    },
    { parent },
  );
