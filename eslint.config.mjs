import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

/** Folders whose code must stay pure: no React, Next, Prisma, Socket.IO or ECharts runtime. */
const PURE = ["lib/catalog/**", "lib/alerts/**", "lib/ingest/**", "lib/wall/**", "lib/sim/**", "lib/charts/**", "lib/reference/**", "lib/realtime/**", "lib/notify/channels.ts", "lib/notify/message.ts", "lib/notify/delivery.ts", "lib/i18n.ts", "lib/testids.ts", "lib/random.ts", "lib/soak.ts"];

export default tseslint.config(
  { ignores: [".next/**", "dist/**", "node_modules/**", "lib/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...nextVitals,
  ...nextTs,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "no-restricted-properties": ["error", { object: "describe", property: "only" }, { object: "it", property: "only" }, { object: "test", property: "only" }],
    },
  },
  {
    files: PURE,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["react", "react-dom", "next", "next/*"], message: "pure core: no React or Next" },
            { group: ["socket.io", "socket.io-client"], message: "pure core: no Socket.IO runtime" },
            { group: ["@prisma/*", "**/generated/prisma/**", "better-sqlite3"], message: "pure core: no database" },
            { group: ["echarts", "echarts/*"], allowTypeImports: true, message: "pure core: ECharts types only" },
            { group: ["node:*"], message: "pure core: no I/O" },
          ],
        },
      ],
    },
  },
  {
    // Only the side server and scripts read process.env directly; everything else gets validated config.
    files: ["app/**", "components/**", "lib/**"],
    ignores: ["lib/config.ts", "lib/web-env.ts", "lib/build-id.ts"],
    rules: { "no-restricted-properties": ["error", { object: "process", property: "env", message: "read config through lib/config.ts" }] },
  },
);
