// Lets Node processes started outside Next (server.ts, scripts, benchmarks) import modules that
// begin with `import "server-only"`. Inside Next, that marker resolves to an empty module under
// the "react-server" condition; this hook gives plain Node the same empty module.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(
      `export async function resolve(specifier, context, next) {
        if (specifier === "server-only") return { url: "data:text/javascript,export{}", shortCircuit: true };
        return next(specifier, context);
      }`,
    ),
);
