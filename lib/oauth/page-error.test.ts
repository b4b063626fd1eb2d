import { describe, expect, it } from "vitest";
import { PageError } from "./page-error";

describe("PageError", () => {
  it("leads its message with the reason, for logs and tests to tell refusals apart", () => {
    const error = new PageError("This sign-in request is no longer valid", "Go back to the app and try again.", "spent");
    expect(error.message).toBe("spent: Go back to the app and try again.");
    expect(error).toMatchObject({ name: "PageError", title: "This sign-in request is no longer valid", reason: "spent" });
    expect(new PageError("Unknown app", "Check the link.").message).toBe("Check the link.");
  });
});
