/** SQS-triggered Lambda: the fulfilment partners' signed webhooks for each order event, once per event. */
import { Layer } from "effect";
import { loadConsumerConfig } from "../config.js";
import { notifyPartners } from "../../domain/index.js";
import { SystemClock } from "../system.js";
import { HttpWebhooks } from "../webhooks/http.js";
import { coldStartConfig } from "./cold-start.js";
import { consumerHandler } from "./consumer.js";
import { log } from "./log.js";
import { storesFor } from "./stores.js";

const config = coldStartConfig(() => loadConsumerConfig(process.env, "lambda"));
const layer = Layer.mergeAll(storesFor(config), HttpWebhooks({ ...config.webhooks, log: ({ level, msg, ...rest }) => log(level === "error" ? "error" : "info", String(msg), rest) }), SystemClock);

export const handler = consumerHandler("fulfilment", notifyPartners, layer);
