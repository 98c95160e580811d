import { z } from "zod";

/**
 * In the browser, zod parses without compiling parsers with `new Function`: the pages' CSP allows
 * no eval, and zod's probe for it (even caught) is reported as a CSP violation. The server keeps
 * the compiled parsers. Imported first by components/providers.tsx, which every page loads.
 */
if (typeof window !== "undefined") z.config({ jitless: true });
