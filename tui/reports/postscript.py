"""A text report set as PostScript, Chinese included, for any CUPS printer.

CUPS's own text filter cannot draw Chinese, so the report is set here: every character
sits on a grid of columns, a Chinese one taking two (as `cell_width` counts, so the
columns line up on paper exactly as on the screen), drawn from a Chinese font's outlines
embedded in the job (WenQuanYi Zen Hei Mono from Debian's fonts-wqy-zenhei, or any font
named by $SHOPFLOOR_CJK_FONT). Receipt widths (32, 42, 48 columns) are set on one long
page of 58 mm or 80 mm paper, wider reports on A4 pages. tui.reports.printing sends it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tui.errors import ShopfloorError
from tui.i18n import N_, _
from tui.reports.text import cell_width

MM_PER_PT = 25.4 / 72


class PrintError(ShopfloorError, RuntimeError):
    """The report could not be printed (here: no font to set it with; in tui.reports.printing:
    CUPS refused it); str() is one line saying why and what to do."""


# -- the page --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageLayout:
    """Where the columns of a report fall on paper; lengths in millimetres."""

    name: str  #: "58 mm receipt", "80 mm receipt" or "A4"
    paper_width: float
    paper_height: float | None  #: None: a receipt roll, as long as the text
    margin_x: float
    margin_top: float
    margin_bottom: float
    cell: float  #: one column; a Chinese character takes two

    @property
    def font_size_pt(self) -> float:
        """The font's em is two columns: a Chinese glyph fills exactly two cells."""
        return 2 * self.cell / MM_PER_PT

    @property
    def line_height(self) -> float:
        return 2 * self.cell * 1.3

    def lines_per_page(self) -> int | None:
        if self.paper_height is None:
            return None
        room = self.paper_height - self.margin_top - self.margin_bottom
        return max(1, int(room // self.line_height))


#: receipt rolls by the columns a thermal printer fits on them: 58 mm paper prints about
#: 48 mm wide (32 columns of 1.5 mm), 80 mm paper about 72 mm (42 or 48 columns)
RECEIPT_PRINTABLE_MM = {58: 48.0, 80: 72.0}


def page_layout(width: int) -> PageLayout:
    """32 columns: a 58 mm receipt; 33..48: an 80 mm receipt; wider: A4 portrait."""
    if width < 20:
        raise ValueError(f"a report {width} columns wide is too narrow to print")
    if width <= 48:
        paper = 58 if width <= 32 else 80
        printable = RECEIPT_PRINTABLE_MM[paper]
        return PageLayout(f"{paper} mm receipt", float(paper), None, (paper - printable) / 2,
                          4.0, 12.0, printable / width)
    margin = 15.0
    return PageLayout("A4", 210.0, 297.0, margin, margin, margin, (210.0 - 2 * margin) / width)


# -- the font --------------------------------------------------------------------------------

#: where Debian's Chinese monospace fonts live, with the face's index in the collection
KNOWN_FONTS = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 1),  # WenQuanYi Zen Hei Mono
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 1),  # WenQuanYi Micro Hei Mono
)
FONT_HINT = N_("install a Chinese font (Debian: apt-get install fonts-wqy-zenhei) "
               "or name a .ttf/.ttc file in SHOPFLOOR_CJK_FONT")


def find_cjk_font() -> tuple[Path, int]:
    """The font file and face index to set reports in: $SHOPFLOOR_CJK_FONT ("path" or
    "path:index"), else the first of KNOWN_FONTS on this machine."""
    named = os.environ.get("SHOPFLOOR_CJK_FONT", "").strip()
    if named:
        path, _sep, index = named.rpartition(":") if re.search(r":\d+$", named) else (named, "", "0")
        if not Path(path).is_file():
            raise PrintError(_("SHOPFLOOR_CJK_FONT: no font file {path}; {hint}").format(
                path=path, hint=_(FONT_HINT)))
        return Path(path), int(index)
    for path, index in KNOWN_FONTS:
        if Path(path).is_file():
            return Path(path), index
    raise PrintError(_("no Chinese font to print with; {hint}").format(hint=_(FONT_HINT)))


@lru_cache(maxsize=4)
def _glyphs(path: Path, index: int) -> frozenset[int]:
    """The code points the face can draw (a missing one prints as '?', visibly)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


# -- the PostScript --------------------------------------------------------------------------
#
# Each character the report uses becomes a glyph of a Type 3 font, drawn from the CJK
# font's outline and named uniXXXX: every PostScript printer draws it, and a PDF made
# from the job (CUPS-PDF, a print-to-file queue) still knows the text, Chinese included,
# because PDF writers read Unicode from such names. Each glyph is exactly as wide as its
# columns, so a line is shown in one go and stays on the grid.

def _glyph_name(ch: str) -> str:
    return "space" if ch == " " else f"uni{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"u{ord(ch):X}"


class _PathPen:
    """Collects a glyph outline as compact PostScript path operators, x scaled by `sx`."""

    def __init__(self, glyph_set, sx: float) -> None:
        from fontTools.pens.basePen import BasePen

        ops: list[str] = []
        bounds = [None]

        def pt(x: float, y: float) -> str:
            x = round(x * sx)
            y = round(y)
            box = bounds[0]
            bounds[0] = (x, y, x, y) if box is None else (
                min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y))
            return f"{x} {y}"

        class Pen(BasePen):
            def _moveTo(self, p):
                ops.append(f"{pt(*p)} m")

            def _lineTo(self, p):
                ops.append(f"{pt(*p)} l")

            def _curveToOne(self, p1, p2, p3):
                ops.append(f"{pt(*p1)} {pt(*p2)} {pt(*p3)} c")

            def _closePath(self):
                ops.append("h")

        self.pen = Pen(glyph_set)
        self.ops = ops
        self.bounds = bounds


@lru_cache(maxsize=2)
def _font(path: Path, index: int):
    from fontTools.ttLib import TTFont

    return TTFont(str(path), fontNumber=index)


def _glyph_proc(font, ch: str) -> str:
    """`/uniXXXX { width 0 llx lly urx ury setcachedevice path fill } bind`: the glyph
    as wide as its columns (half an em a column)."""
    upem = font["head"].unitsPerEm
    wanted = cell_width(ch) * upem / 2
    name = font.getBestCmap()[ord(ch)]
    natural = font["hmtx"][name][0]
    sx = wanted / natural if natural else 1.0
    draw = _PathPen(font.getGlyphSet(), sx)
    font.getGlyphSet()[name].draw(draw.pen)
    box = draw.bounds[0] or (0, 0, 0, 0)
    body = " ".join(draw.ops)
    return (f"/{_glyph_name(ch)} {{ {wanted:g} 0 {box[0]} {box[1]} {box[2]} {box[3]} "
            f"setcachedevice {body} fill }} bind")


def _clean(line: str, glyphs: frozenset[int]) -> str:
    """The line as it will be drawn: no combining marks or control characters, and a
    character the font lacks as '?', visibly."""
    out = []
    for ch in line:
        if unicodedata.combining(ch):
            continue
        if ch != " " and (ord(ch) not in glyphs or unicodedata.category(ch).startswith("C")):
            ch = "?"
        out.append(ch)
    return "".join(out)


def _ps_string(codes: list[int]) -> str:
    return "<" + "".join(f"{c:02X}" for c in codes) + ">"


def _is_rule(line: str) -> bool:
    return len(line) >= 8 and len(set(line)) == 1 and line[0] in "-="


def paginate(lines: list[str], per_page: int | None) -> list[list[str]]:
    """Pages of at most `per_page` lines (one page for a receipt). A page ends before
    the last rule line (----) in its lower part when there is one, so a section is not
    split across pages if it can be helped; the rule then opens the next page."""
    if per_page is None:
        return [lines]
    pages: list[list[str]] = []
    rest = lines
    while len(rest) > per_page:
        cut = per_page
        for i in range(per_page - 1, int(per_page * 0.6), -1):
            if _is_rule(rest[i]):
                cut = i
                break
        pages.append(rest[:cut])
        rest = rest[cut:]
    pages.append(rest)
    return pages


def report_postscript(text: str, width: int, title: str = "shopfloor-report") -> bytes:
    """The report as PostScript for the paper its width is meant for (see page_layout)."""
    layout = page_layout(width)
    path, index = find_cjk_font()
    glyphs = _glyphs(path, index)
    try:
        font = _font(path, index)
    except Exception as exc:  # a broken or unreadable font file
        raise PrintError(_("cannot use the font {path}: {why}; {hint}").format(
            path=path, why=exc, hint=_(FONT_HINT))) from None
    title = re.sub(r"[^\w .-]+", "-", title, flags=re.ASCII)  # DSC text: no parentheses
    lines = [_clean(line, glyphs) for line in text.rstrip("\n").split("\n")]
    pages = paginate(lines, layout.lines_per_page())
    folios = [f"{n}/{len(pages)}" for n in range(1, len(pages) + 1)] if len(pages) > 1 else []
    used = sorted({ch for line in lines + folios for ch in line if ch != " "})
    # 255 glyphs to a font (code 0 stays .notdef); a report needs one or two
    codes = {ch: (i // 255, i % 255 + 1) for i, ch in enumerate(used)}
    fonts = (len(used) + 254) // 255 or 1

    pt = 72 / 25.4
    paper_w = layout.paper_width * pt
    paper_h = (layout.paper_height or max(
        layout.paper_width, layout.margin_top + len(lines) * layout.line_height
        + layout.margin_bottom)) * pt
    em = 2 * layout.cell * pt
    upem = font["head"].unitsPerEm
    ascent = em * 0.86

    out = [
        "%!PS-Adobe-3.0",
        f"%%Title: ({title})",
        "%%Creator: Shopfloor",
        f"%%Pages: {len(pages)}",
        f"%%BoundingBox: 0 0 {round(paper_w)} {round(paper_h)}",
        f"%%DocumentMedia: {layout.name.replace(' ', '')} {paper_w:.2f} {paper_h:.2f} 0 () ()",
        "%%EndComments",
        "%%BeginProlog",
        "/m /moveto load def /l /lineto load def /c /curveto load def /h /closepath load def",
    ]
    for n in range(fonts):
        mine = [ch for ch in used if codes[ch][0] == n]
        out += [
            "10 dict begin",
            "/FontType 3 def",
            f"/FontMatrix [{1 / upem:.8f} 0 0 {1 / upem:.8f} 0 0] def",
            f"/FontBBox [0 {-upem} {upem * 2} {upem * 2}] def",
            "/Encoding 256 array def 0 1 255 { Encoding exch /.notdef put } for",
        ]
        out += [f"Encoding {codes[ch][1]} /{_glyph_name(ch)} put" for ch in mine]
        out += [f"/CharProcs {len(mine) + 1} dict def CharProcs begin",
                "/.notdef { 0 0 setcharwidth } bind def"]
        out += [_glyph_proc(font, ch) + " def" for ch in mine]
        out += [
            "end",
            "/BuildGlyph { exch /CharProcs get exch 2 copy known not { pop /.notdef } if get exec } bind def",
            "/BuildChar { 1 index /Encoding get exch get 1 index /BuildGlyph get exec } bind def",
            f"currentdict end /ShopfloorReport{n} exch definefont pop",
        ]
    out += ["%%EndProlog", "%%BeginSetup",
            # a printer that cannot take the size prints on its own paper rather than fail
            f"mark {{ << /PageSize [{paper_w:.2f} {paper_h:.2f}] >> setpagedevice }} stopped "
            "cleartomark"]
    out += [f"/F{n} /ShopfloorReport{n} findfont {em:.3f} scalefont def" for n in range(fonts)]
    out += ["%%EndSetup"]

    def show(x: float, y: float, line: str) -> None:
        col = 0
        run: list[int] = []
        run_font = None
        start = 0

        def flush() -> None:
            if run:
                out.append(f"F{run_font} setfont {x + start * layout.cell * pt:.2f} {y:.2f} "
                           f"moveto {_ps_string(run)} show")

        for ch in line:
            cols = cell_width(ch)
            if ch == " ":
                flush()
                run, run_font = [], None
            else:
                n, code = codes[ch]
                if run and n != run_font:
                    flush()
                    run = []
                if not run:
                    start, run_font = col, n
                run.append(code)
            col += cols
        flush()

    for number, page in enumerate(pages, start=1):
        out += [f"%%Page: {number} {number}", "gsave"]
        for row, line in enumerate(page):
            show(layout.margin_x * pt, paper_h - layout.margin_top * pt
                 - row * layout.line_height * pt - ascent, line)
        if folios:
            folio = folios[number - 1]
            show((layout.paper_width - layout.margin_x) * pt - cell_width(folio) * layout.cell * pt,
                 layout.margin_bottom * pt / 2, folio)
        out += ["grestore", "showpage"]
    out += ["%%Trailer", "%%EOF"]
    return ("\n".join(out) + "\n").encode("ascii")


__all__ = ["MM_PER_PT", "PageLayout", "PrintError", "find_cjk_font", "page_layout", "paginate",
           "report_postscript"]
