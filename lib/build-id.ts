/** The build this bundle came from (next.config.js inlines it); "dev" outside a production build. */
export const BUNDLE_BUILD_ID: string = process.env.NEXT_PUBLIC_BUILD_ID ?? "dev";
