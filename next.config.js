// One id per build, known to the bundle (NEXT_PUBLIC_BUILD_ID, inlined when it is built) and to
// the server running it (.next/BUILD_ID): a kiosk wall compares the two to notice a deploy.
const buildId = process.env.ONESCREEN_BUILD_ID || `${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}-${Math.random().toString(36).slice(2, 8)}`;

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The database drivers and Prisma's adapters must load from node_modules at run time.
  // `npm test` type-checks the whole tree (tests included) with tsc; the build does not
  // repeat it, so `npm start` never fails on a test file's types.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg", "prom-client"],
  generateBuildId: async () => buildId,
  // lib/http-security.ts STATIC_SECURITY_HEADERS (a config file cannot import TypeScript); proxy.ts adds each page's policy.
  async headers() {
    return [{ source: "/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }, { key: "Referrer-Policy", value: "same-origin" }] }];
  },
  env: { NEXT_PUBLIC_BUILD_ID: buildId },
};

export default nextConfig;
