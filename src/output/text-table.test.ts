import { describe, expect, it } from "vitest";
import { toCsv } from "./csv.js";
import { formatMarkdownTable, formatNotes, formatTextTable, notesByReason, OUTPUT_WIDTH, outputWidth, wrapText } from "./text-table.js";

const spec = { header: ["Target", "Median"], rows: [["null", "1.5"], ["linux|x", "1234.0"]], align: ["left", "right"] as const };

describe("tables", () => {
  it("aligns a text table", () => {
    expect(formatTextTable(spec)).toBe("Target   Median\n───────  ──────\nnull        1.5\nlinux|x  1234.0\n");
  });

  it("keeps to a width: leaves out optional columns first, then shortens the last column", () => {
    const wide = {
      header: ["Name", "Spread", "Detail", "Note"],
      rows: [["null", "±1.5 ms", "quite a long detail", "a note that is long enough to matter"]],
      optional: [2, 1],
    };
    expect(formatTextTable(wide, 200).split("\n")[0]).toBe("Name  Spread   Detail               Note");
    const fitted = formatTextTable(wide, 52);
    expect(fitted).toBe(
      "Name  Spread   Note\n────  ───────  ────────────────────────────────────\nnull  ±1.5 ms  a note that is long enough to matter\n(left out to fit 52 columns: Detail)\n",
    );
    const shortened = formatTextTable(wide, 30).split("\n");
    expect(shortened[2]).toBe("null  a note that is long eno…");
    expect(Math.max(...shortened.map((line) => line.length))).toBeLessThanOrEqual(30);
  });

  it("takes the terminal's width, else $COLUMNS when it is a whole number, else OUTPUT_WIDTH", () => {
    const terminal = { isTTY: true, columns: 97 } as NodeJS.WriteStream;
    const pipe = { isTTY: false } as NodeJS.WriteStream;
    expect(outputWidth(terminal, { COLUMNS: "300" })).toBe(97);
    expect(outputWidth(pipe, { COLUMNS: "300" })).toBe(300);
    for (const columns of [undefined, "", "wide", "-5", "12.5"]) expect(outputWidth(pipe, { COLUMNS: columns })).toBe(OUTPUT_WIDTH);
  });

  it("wraps notes at word boundaries with a hanging indent, cutting only words longer than a line", () => {
    expect(wrapText("one two three four five", 9, "  ")).toEqual(["one two", "  three", "  four", "  five"]);
    expect(wrapText("see https://example.com/a/very/long/path now", 16, "  ")).toEqual(["see", "  https://exampl", "  e.com/a/very/l", "  ong/path now"]);
    expect(notesByReason([{ subject: "a", reason: "x" }, { subject: "b", reason: "y" }, { subject: "c", reason: "x" }])).toEqual(["a, c: x", "b: y"]);
    expect(formatNotes([{ title: "Why:", notes: ["alpha beta gamma delta"] }, { title: "Empty:", notes: [] }], 14)).toBe("\nWhy:\n  alpha beta\n    gamma\n    delta\n");
    // A long title wraps too (the KVM verdicts' title names a file).
    expect(formatNotes([{ title: "KVM cannot run these here:", notes: ["linux on qemu"] }], 14)).toBe("\nKVM cannot run\nthese here:\n  linux on\n    qemu\n");
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
