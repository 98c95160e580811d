import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/**
 * The layers (docs/ARCHITECTURE.md, "Layers"), enforced: each entry lists what files in `files`
 * may not import. `@typescript-eslint/no-restricted-imports` so that `allowTypeImports` can let a
 * browser file name a server type without pulling in its code. tests/unit/architecture/layers.test.ts
 * proves each rule refuses what it should.
 */
const SERVER_ONLY = [
  { group: ["@/lib/server", "@/lib/server/**", "**/lib/server/**"], message: "server code: the browser gets it over HTTP or the socket (lib/contracts)" },
  { group: ["server-only", "node:*", "@prisma/*", "pg", "better-auth", "better-auth/*", "socket.io", "pino"], message: "a server-side module" },
];
const layers = [
  {
    name: "lib/risk imports only itself (the pure model: no I/O, no other layer)",
    files: ["lib/risk/**/*.{ts,tsx}"],
    patterns: [
      { regex: "^@/(?!lib/risk/)", message: "lib/risk imports only lib/risk (and decimal.js)" },
      { regex: "^\\.\\./", message: "lib/risk imports only lib/risk (and decimal.js)" },
      { group: ["node:*"], message: "lib/risk does no I/O" },
    ],
  },
  {
    name: "lib/venues: venue tier tables read and mapped onto §2; pure, over lib/risk only",
    files: ["lib/venues/**/*.{ts,tsx}"],
    patterns: [
      { regex: "^@/(?!lib/(venues|risk)/|lib/risk$)", message: "lib/venues imports only lib/venues and lib/risk (and decimal.js)" },
      { regex: "^\\.\\./", message: "lib/venues imports only lib/venues and lib/risk (and decimal.js)" },
      { group: ["node:*", "server-only"], message: "lib/venues does no I/O: the CLI (scripts/markets.ts) reads the file" },
    ],
  },
  {
    name: "lib/contracts: the wire shapes; no engine, no server",
    files: ["lib/contracts/**/*.{ts,tsx}"],
    patterns: [
      { group: ["@/lib/engine", "@/lib/engine/**", "@/lib/server", "@/lib/server/**", "@/lib/client/**", "@/components/**"], message: "lib/contracts imports only lib/risk, lib/format and itself" },
      { group: ["node:*", "server-only"], message: "lib/contracts runs in the browser too" },
    ],
  },
  {
    name: "lib/client and components: browser code; no server code, no engine values",
    files: ["lib/client/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    patterns: [
      ...SERVER_ONLY,
      { group: ["@/lib/engine", "@/lib/engine/**"], allowTypeImports: true, message: "engine code runs in the server's worker: the browser may name its types only" },
    ],
  },
  {
    name: "lib/engine: pure state and its threads; no server, no browser",
    files: ["lib/engine/thread/**/*.{ts,tsx}", "lib/engine/*.{ts,tsx}"],
    patterns: [
      { group: ["@/lib/server", "@/lib/server/**", "@/lib/client", "@/lib/client/**", "@/components/**", "@/app/**"], message: "lib/engine imports lib/risk, lib/contracts and itself" },
    ],
  },
  {
    name: "lib/engine/book, views and alerts: the pure book, its read models and alert rules; no I/O",
    files: ["lib/engine/book/**/*.{ts,tsx}", "lib/engine/views/**/*.{ts,tsx}", "lib/engine/alerts/**/*.{ts,tsx}"],
    patterns: [
      { group: ["@/lib/server", "@/lib/server/**", "@/lib/client", "@/lib/client/**", "@/components/**", "@/app/**"], message: "lib/engine imports lib/risk, lib/contracts and itself" },
      { group: ["node:*", "server-only", "../thread/*", "../thread/**"], message: "the book, its views and alert rules are pure: no I/O, no threads (lib/engine/thread owns those)" },
    ],
  },
  {
    name: "app: routes and pages call the services; no engine values, no runtime internals",
    files: ["app/**/*.{ts,tsx}"],
    patterns: [
      { group: ["@/lib/engine", "@/lib/engine/**"], allowTypeImports: true, message: "routes and pages ask the services (lib/server/services), never the engine: its types only" },
      {
        group: [
          "@/lib/server/runtime", "@/lib/server/live-engine", "@/lib/server/markets/**", "@/lib/server/db/**", "@/lib/server/database",
          "@/lib/server/feeds/*-stream", "@/lib/server/margin-snapshotter", "@/lib/server/what-ifs", "@/lib/server/topup/**",
          "@/lib/server/audit-log", "@/lib/server/liquidation-events", "@/lib/server/execution/**", "@/lib/server/persistence/**",
        ],
        message: "the runtime's internals: routes and pages call the services (guarded's `services`, or pageServices() from lib/server/services/services-registry)",
      },
    ],
  },
];

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    // App Router only: there is no pages/ directory for this rule to check links against.
    rules: { "@next/next/no-html-link-for-pages": "off" },
  },
  ...layers.map(({ name, files, patterns }) => ({
    name,
    files,
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns }] },
  })),
  globalIgnores([".next/**", "out/**", "build/**", "next-env.d.ts", ".data/**", "lib/generated/**", "artifacts/**"]),
]);
