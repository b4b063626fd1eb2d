import { SECURITY_HEADERS } from "./lib/http/security-headers";
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships a 15 MB wasm + data bundle it loads from its own package
  // folder; bundling it would also publish those files under .next/static.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter"],
  poweredByHeader: false,
  typedRoutes: false,
  headers: async () => [
    { source: "/:path*", headers: Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value })) },
  ],
};

export default nextConfig;
