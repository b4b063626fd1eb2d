import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships a 15 MB wasm + data bundle it loads from its own package
  // folder; bundling it would also publish those files under .next/static.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
