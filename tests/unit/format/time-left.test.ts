import { describe, expect, it } from "vitest";
import { formatTimeLeft } from "@/lib/format/time";

describe("a deadline's time left", () => {
  it("counts seconds, hours and days; nothing once past", () => {
    expect(formatTimeLeft(0)).toBe("0:00:00");
    expect(formatTimeLeft(-5000)).toBe("0:00:00");
    expect(formatTimeLeft(1)).toBe("0:00:01");
    expect(formatTimeLeft(65_000)).toBe("0:01:05");
    expect(formatTimeLeft(30 * 60_000)).toBe("0:30:00");
    expect(formatTimeLeft(3 * 3600_000 + 4 * 60_000 + 5000)).toBe("3:04:05");
    expect(formatTimeLeft(2 * 86_400_000 + 3 * 3600_000 + 4 * 60_000 + 5000)).toBe("2 d 03:04:05");
  });
});
