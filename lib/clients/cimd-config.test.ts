import { describe, expect, it } from "vitest";
import { parseCimdConfig } from "./cimd-config";

describe("CIMD configuration", () => {
  it("defaults the limits of issue 13 like DCR's", () => {
    expect(parseCimdConfig({})).toMatchObject({
      rateLimit: 60,
      rateLimitWindowSeconds: 600,
      failureCacheSeconds: 60,
      maxConcurrentFetches: 10,
      unusedRetentionDays: 7,
    });
    expect(
      parseCimdConfig({
        CIMD_RATE_LIMIT: "5",
        CIMD_RATE_LIMIT_WINDOW_SECONDS: " 60 ",
        CIMD_FAILURE_CACHE_S: "0",
        CIMD_MAX_CONCURRENT_FETCHES: "2",
        CIMD_UNUSED_RETENTION_DAYS: "30",
      }),
    ).toMatchObject({ rateLimit: 5, rateLimitWindowSeconds: 60, failureCacheSeconds: 0, maxConcurrentFetches: 2, unusedRetentionDays: 30 });
  });

  it("names every bad value, one per line, with its range", () => {
    const problems = () =>
      parseCimdConfig({
        CIMD_RATE_LIMIT: "0",
        CIMD_RATE_LIMIT_WINDOW_SECONDS: "a day",
        CIMD_FAILURE_CACHE_S: "-1",
        CIMD_MAX_CONCURRENT_FETCHES: "100000",
        CIMD_UNUSED_RETENTION_DAYS: "0",
      });
    expect(problems).toThrow(
      [
        "CIMD_RATE_LIMIT must be an integer from 1 to 1000000",
        "CIMD_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400",
        "CIMD_FAILURE_CACHE_S must be an integer from 0 to 3600",
        "CIMD_MAX_CONCURRENT_FETCHES must be an integer from 1 to 1000",
        "CIMD_UNUSED_RETENTION_DAYS must be an integer from 1 to 3650",
      ].join("\n"),
    );
  });
});
