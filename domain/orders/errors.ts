import { Schema } from "effect";

export class OrderNotFound extends Schema.TaggedError<OrderNotFound>()("OrderNotFound", {
  orderId: Schema.String,
}) {}

export class OrderTransitionNotAllowed extends Schema.TaggedError<OrderTransitionNotAllowed>()(
  "OrderTransitionNotAllowed",
  { orderId: Schema.String, from: Schema.String, to: Schema.String },
) {}

/** The actor's role may not make this transition (a customer may only cancel a placed order). */
export class OrderTransitionForbidden extends Schema.TaggedError<OrderTransitionForbidden>()(
  "OrderTransitionForbidden",
  { orderId: Schema.String, role: Schema.String, to: Schema.String },
) {}

/** A store refused a transition because the order's status moved on since it was read. */
export class OrderStatusConflict extends Schema.TaggedError<OrderStatusConflict>()("OrderStatusConflict", {
  orderId: Schema.String,
  expected: Schema.String,
}) {}
