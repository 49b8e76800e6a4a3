/** Configuration read at cold start: a bad variable fails the init with one clear log line naming it. */
import { ConfigError } from "../config.js";

export const coldStartConfig = <A>(load: () => A): A => {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${JSON.stringify({ level: "fatal", msg: error.message })}\n`);
    }
    throw error;
  }
};
