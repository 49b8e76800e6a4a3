/** SQS-triggered Lambda: the customer's email for each order event, through SES, once per event. */
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { Layer } from "effect";
import { loadConsumerConfig } from "../config.js";
import { emailCustomer } from "../../domain/index.js";
import { SesMailer } from "../mail/ses.js";
import { SystemClock } from "../system.js";
import { coldStartConfig } from "./cold-start.js";
import { consumerHandler } from "./consumer.js";
import { storesFor } from "./stores.js";

const config = coldStartConfig(() => loadConsumerConfig(process.env, "lambda"));
const layer = Layer.mergeAll(storesFor(config), SesMailer(new SESv2Client({}), config.mailFrom), SystemClock);

export const handler = consumerHandler("email", emailCustomer, layer);
