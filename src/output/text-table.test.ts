import { describe, expect, it } from "vitest";
import { toCsv } from "./csv.js";
import { formatMarkdownTable, formatTextTable } from "./text-table.js";

const spec = { header: ["Target", "Median"], rows: [["null", "1.5"], ["linux|x", "1234.0"]], align: ["left", "right"] as const };

describe("tables", () => {
  it("aligns a text table", () => {
    expect(formatTextTable(spec)).toBe("Target   Median\n───────  ──────\nnull        1.5\nlinux|x  1234.0\n");
  });

  it("escapes pipes and right-aligns in Markdown", () => {
    expect(formatMarkdownTable(spec)).toBe(
      "| Target   | Median |\n|----------|-------:|\n| null     |    1.5 |\n| linux\\|x | 1234.0 |\n",
    );
  });

  it("quotes CSV cells that need it", () => {
    expect(toCsv(["a", "b"], [["x,y", 1], ['say "hi"', true]])).toBe('a,b\n"x,y",1\n"say ""hi""",true\n');
  });
});
