export * from "./districts";
export * from "./entities";
export * from "./metrics";
