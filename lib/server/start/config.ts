import { env, EnvError, type Env } from "../env";

/** The configuration from the environment; a bad value stops the process with one line (status 2). */
export function loadConfig(): Env {
  try {
    return env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`liqdesk: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}
