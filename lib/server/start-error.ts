/**
 * A start-up failure the user can fix, said in one line without a stack trace (server.ts and
 * scripts/start.ts print `liqdesk: <message>` and exit 1): a port in use, a directory the database
 * cannot reach, another Liqdesk on the same data. Anything else is a bug and keeps its stack.
 */
export class StartError extends Error {
  override name = "StartError";
}
