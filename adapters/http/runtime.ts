/** Composition root: one runtime per process (or Lambda cold start) runs every use case the handlers call. */
import { Cause, Effect, Exit, Layer, ManagedRuntime, Option } from "effect";
import type {
  AttemptCounter,
  CartStore,
  Clock,
  EventLog,
  EventReceipts,
  HoldPolicy,
  IdempotencyStore,
  IdGenerator,
  OrderStore,
  PaymentEventLog,
  PaymentGateway,
  PaymentPolicy,
  ProductImageStore,
  ProductStore,
  UserStore,
} from "../../domain/index.js";
import { simulatedPayments } from "../payments/layer.js";
import { defaultPaymentWindowMs, holdPolicy, paymentPolicy, RandomIds, SystemClock } from "../system.js";
import type { DomainError } from "./problems.js";
import { underRequestDeadline } from "../deadline.js";

export type StoreServices = ProductStore | CartStore | OrderStore | IdempotencyStore | UserStore | EventLog | EventReceipts | PaymentEventLog | AttemptCounter | ProductImageStore;
export type AppServices = StoreServices | Clock | IdGenerator | HoldPolicy | PaymentGateway | PaymentPolicy;
export type AppRuntime = ManagedRuntime.ManagedRuntime<AppServices, never>;

export interface RuntimeParts {
  readonly stores: Layer.Layer<StoreServices>;
  readonly holdTtlMs: number;
  /** Units of one product a customer may hold at once (configured: 10 by default); only the line cap (99) unless given. */
  readonly maxUnitsPerProduct?: number;
  /** Placed, unpaid orders a customer may have at once (configured: 3 by default); no limit unless given. */
  readonly maxUnpaidOrders?: number;
  /** How long after it was taken a live hold may be extended to (HOLD_MAX_AGE_SECONDS): 4 hold TTLs unless given. */
  readonly maxHoldAgeMs?: number | undefined;
  /** System clock and random UUIDs unless replaced (tests use a manual clock and sequential ids). */
  readonly clock?: Layer.Layer<Clock>;
  readonly ids?: Layer.Layer<IdGenerator>;
  /** The payment provider: a fresh simulated one unless given. */
  readonly gateway?: Layer.Layer<PaymentGateway>;
  /** The payment window and the manual-payment switch: 30 minutes, off, unless given. */
  readonly paymentPolicy?: Layer.Layer<PaymentPolicy>;
}

export const makeAppRuntime = (parts: RuntimeParts): AppRuntime =>
  ManagedRuntime.make(
    Layer.mergeAll(
      parts.stores,
      parts.clock ?? SystemClock,
      parts.ids ?? RandomIds,
      holdPolicy(parts.holdTtlMs, parts.maxUnitsPerProduct, parts.maxUnpaidOrders, parts.maxHoldAgeMs),
      parts.gateway ?? simulatedPayments().layer,
      parts.paymentPolicy ?? paymentPolicy(defaultPaymentWindowMs),
    ),
  );

/** A failure nobody planned for (a bug, a dead store client): logged in full, shown to nobody. */
export class Defect extends Error {
  override readonly name = "Defect";
}

/** Runs a use case; its typed failure is thrown as is (problems.ts maps it), anything else as a Defect. */
export type Run = <A, E extends DomainError>(effect: Effect.Effect<A, E, AppServices>) => Promise<A>;

export const runWith =
  (runtime: AppRuntime): Run =>
  async (effect) => {
    const exit = await runtime.runPromiseExit(underRequestDeadline(effect));
    if (Exit.isSuccess(exit)) return exit.value;
    const failure = Cause.failureOption(exit.cause);
    if (Option.isSome(failure)) throw failure.value;
    throw new Defect(Cause.pretty(exit.cause));
  };
