export * from "./districts";
export * from "./city";
export * from "./roads";
export * from "./metrics";
