import { describe, expect, it } from "vitest";
import { CimdDocumentError } from "./cimd-document";
import { CimdBusyError, isCimdError, type CimdError } from "./cimd-errors";
import { CIMD_FETCH_FAILED, CimdFetchError } from "./cimd-fetch";
import { documentFlights } from "./cimd-flights";

const ID = "https://app.example/client.json";
const t0 = new Date("2030-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const refusal = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (e) {
    return isCimdError(e) ? e : null;
  }
};

describe("document flights", () => {
  it("runs one fetch for every concurrent caller of a client_id, and a new one once it settled", async () => {
    const flights = documentFlights(60_000);
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return "app";
    };
    const results = await Promise.all(Array.from({ length: 60 }, () => flights.run(ID, t0, fetch)));
    expect(results.every((r) => r === "app")).toBe(true);
    expect(fetches).toBe(1);
    await flights.run("https://other.example/c.json", t0, fetch);
    await flights.run(ID, t0, fetch);
    expect(fetches).toBe(3);
  });

  it("remembers a document failure for its time with the same public reason, and forgets it on success", async () => {
    const flights = documentFlights(60_000);
    const failure = new CimdFetchError("http_status", "The metadata document URL answered HTTP 500");
    await expect(flights.run(ID, t0, () => Promise.reject(failure))).rejects.toBe(failure);
    const remembered = refusal(() => flights.throwIfFailedRecently(ID, at(59_000)));
    expect(remembered).toMatchObject({ name: "CimdRecentFailureError", publicMessage: CIMD_FETCH_FAILED });
    expect(remembered!.message).toContain("HTTP 500");
    expect(refusal(() => flights.throwIfFailedRecently(ID, at(60_000)))).toBeNull();
    await expect(flights.run(ID, t0, () => Promise.reject(new CimdDocumentError("bad")))).rejects.toThrow("bad");
    expect(refusal(() => flights.throwIfFailedRecently(ID, t0))?.publicMessage).toBe("bad");
    await flights.run(ID, t0, async () => "fixed");
    expect(refusal(() => flights.throwIfFailedRecently(ID, t0))).toBeNull();
  });

  it("does not remember the server's own refusals, other errors, or anything when the memory is 0", async () => {
    const flights = documentFlights(60_000);
    const own: CimdError = new CimdBusyError(10, 5000);
    await expect(flights.run(ID, t0, () => Promise.reject(own))).rejects.toBe(own);
    await expect(flights.run(ID, t0, () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    expect(refusal(() => flights.throwIfFailedRecently(ID, t0))).toBeNull();
    const forgetful = documentFlights(0);
    await expect(forgetful.run(ID, t0, () => Promise.reject(new CimdDocumentError("bad")))).rejects.toThrow("bad");
    expect(refusal(() => forgetful.throwIfFailedRecently(ID, t0))).toBeNull();
  });
});
