// Issue 16: no file in lib/ over 400 lines without the reason written at its top. A file that grows
// past the line must either be split or say, in its first 15 lines, "Longer than 400 lines because …".
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const MAX_LINES = 400;
const REASON = /Longer than 400 lines because \S/;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs)$/.test(e.name) && !e.parentPath.includes(`${path.sep}generated`))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

describe("file size", () => {
  it(`every file in lib/ is at most ${MAX_LINES} lines, or says at its top why it is longer`, () => {
    const files = sourceFiles("lib");
    expect(files.length).toBeGreaterThan(50);
    const unexplained = files.filter((file) => {
      const lines = readFileSync(path.join(ROOT, file), "utf8").split("\n");
      return lines.length > MAX_LINES && !REASON.test(lines.slice(0, 15).join("\n"));
    });
    expect(unexplained).toEqual([]);
  });
});
