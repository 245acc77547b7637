"""The yearly case collection (典型案例集) as an A4 PDF.

Why ReportLab with its built-in CID font STSong-Light:

- ReportLab is the long-maintained (since 2000, BSD licence) PDF toolkit on PyPI; it installs as a wheel
  with no system libraries, unlike HTML-to-PDF engines that need Pango/Cairo from the operating system.
- STSong-Light is one of Adobe's standard CJK fonts (collection Adobe-GB1, encoding UniGB-UCS2-H). ReportLab
  carries its metrics, so nothing is downloaded, no font file ships in the repository and no system font
  is looked up: rendering works offline on any machine `make run` sets up. PDF readers supply the glyphs
  for the standard Adobe-GB1 fonts (Acrobat's Asian font support, PDFium in Chrome, pdf.js, Preview,
  poppler through fontconfig), and the text stays selectable and searchable.
- Whatever Helvetica's WinAnsi encoding holds (Latin letters, digits, signs such as ·, ³, µ, °, curly quotes
  and dashes) is set in Helvetica, another standard font: the Adobe-GB1 set lacks some of these, and readers
  substitute its half-width forms with other metrics, which spaces them unevenly. Chinese text, full-width
  forms and CJK punctuation stay in STSong-Light.
- The trade-off: the glyph shapes come from the reader rather than from the file. Embedding a TrueType
  CJK font would pin them, at the price of 10–20 MB of font in the repository or a font package of
  uncertain upkeep; for a document that is read, printed and searched, the standard fonts are enough.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import date
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from marketplace.cases.models import Case
from marketplace.cases.results import BETTER, WORSE, ResultChange
from marketplace.money import format_fen
from marketplace.templating import current_locale, term_label

FONT = "STSong-Light"
LATIN = "Helvetica"
BRAND = colors.HexColor("#0b6e4f")
LINE = colors.HexColor("#dfe4ea")


def register_font() -> None:
    """Register the CID font with ReportLab once per process."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def styles() -> dict[str, ParagraphStyle]:
    """Return the paragraph styles of the collection (CJK line breaking everywhere)."""
    base = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "body": base,
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, leading=13, textColor=colors.HexColor("#5b6675")),
        "h1": ParagraphStyle("h1", parent=base, fontSize=26, leading=36, alignment=TA_CENTER, textColor=BRAND),
        "sub": ParagraphStyle("sub", parent=base, fontSize=13, leading=20, alignment=TA_CENTER),
        "h2": ParagraphStyle("h2", parent=base, fontSize=15, leading=22, spaceBefore=4, spaceAfter=4,
                             textColor=BRAND),
        "h3": ParagraphStyle("h3", parent=base, fontSize=11.5, leading=18, spaceBefore=8, spaceAfter=2),
        "toc": ParagraphStyle("toc", parent=base, fontSize=10.5, leading=18, leftIndent=8),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13),
        "footer": ParagraphStyle("footer", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER,
                                 textColor=colors.HexColor("#5b6675")),
    }


def is_latin(ch: str) -> bool:
    """Tell whether a character is set in Helvetica: everything its WinAnsi encoding has, quotes and dashes too."""
    if ch == "\n":
        return False
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def text(value) -> str:
    """Escape a value for ReportLab's paragraph markup: Latin runs in Helvetica, line breaks kept."""
    out: list[str] = []
    run: list[str] = []
    latin: bool | None = None
    for ch in str(value or "") + "\n":
        if latin is not None and is_latin(ch) != latin or ch == "\n":
            chunk = escape("".join(run))
            out.append(f'<font name="{LATIN}">{chunk}</font>' if latin and chunk else chunk)
            run = []
        if ch == "\n":
            out.append("<br/>")
            latin = None
            continue
        run.append(ch)
        latin = is_latin(ch)
    return "".join(out[:-1])


def number(value) -> str:
    """Format a measured value without trailing zeros (3.2000 -> 3.2)."""
    formatted = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return formatted or "0"


TONE_COLOURS = {BETTER: "#15692d", WORSE: "#c8102e"}
"""The site's improvement and worsening colours (`--ok`, `--accent` in site.css)."""


def change_text(change: ResultChange) -> str:
    """Return a result's change as the pages show it ("降低 59.5%"), in its tone's colour, with the tone in
    words (an improvement or a worsening) so a printout in grey still says which it is."""
    shown = text(change.text + (f"（{change.tone_text}）" if change.tone_text else ""))
    colour = TONE_COLOURS.get(change.tone)
    return f'<font color="{colour}">{shown}</font>' if colour else shown


def results_table(case: Case, st: dict) -> Table:
    """Return the measured results of a case as a table with the improvement computed."""
    head = [_("Indicator"), _("Before"), _("After"), _("Change")]
    rows = [[Paragraph(text(h), st["cell"]) for h in head]]
    for r in case.results:
        rows.append([Paragraph(text(r.indicator), st["cell"]),
                     Paragraph(text(f"{number(r.before)} {r.unit}"), st["cell"]),
                     Paragraph(text(f"{number(r.after)} {r.unit}"), st["cell"]),
                     Paragraph(change_text(r.change), st["cell"])])
    table = Table(rows, colWidths=[62 * mm, 36 * mm, 36 * mm, 32 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f3f6")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def case_flowables(number_: int, case: Case, st: dict) -> list:
    """Return the flowables of one case: heading, facts, problem, solution, results."""
    locale = current_locale()
    facts = " · ".join(filter(None, [case.shown_enterprise, term_label(case.city, "city") if case.city else None,
                                     term_label(case.industry, "industry"), term_label(case.scenario, "scenario"),
                                     str(case.year)]))
    delivered = []
    if case.vendor:
        delivered.append(_("Provider: %(name)s", name=case.vendor.name))
    if case.offering:
        delivered.append(_("Offering: %(title)s", title=case.offering.title))
    if case.investment_fen is not None:
        delivered.append(_("Investment: %(amount)s", amount=format_fen(case.investment_fen, locale)))
    out = [Paragraph(text(f"{number_}. {case.title}"), st["h2"]), Paragraph(text(facts), st["meta"])]
    if delivered:
        out.append(Paragraph(text(" · ".join(delivered)), st["meta"]))
    out += [Paragraph(text(_("Problem")), st["h3"]), Paragraph(text(case.problem), st["body"]),
            Paragraph(text(_("Solution")), st["h3"]), Paragraph(text(case.solution), st["body"])]
    if case.results:
        out.append(KeepTogether([Paragraph(text(_("Measured results")), st["h3"]), results_table(case, st)]))
    return out


def render_collection_pdf(year: int, cases: list[Case], generated_on: date | None = None) -> bytes:
    """Render the case collection of one year as A4 PDF bytes: cover, contents, one section per case."""
    register_font()
    st = styles()
    title = _("%(year)s Showcase Case Collection", year=year)

    def on_page(canvas, doc) -> None:
        """Draw the running footer with the page number."""
        footer = Paragraph(text(_("%(title)s · page %(page)s", title=title, page=doc.page)), st["footer"])
        footer.wrapOn(canvas, A4[0] - 40 * mm, 10 * mm)
        footer.drawOn(canvas, 20 * mm, 10 * mm)

    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=title, author=_("Promotion centers"),
                            subject=_("AI empowering manufacturing: showcase cases"))
    story = [Spacer(1, 60 * mm), Paragraph(text(title), st["h1"]), Spacer(1, 6 * mm),
             Paragraph(text(_("AI empowering manufacturing — showcase cases curated by promotion centers")),
                       st["sub"]),
             Spacer(1, 4 * mm),
             Paragraph(text(_("%(n)s cases · compiled %(day)s", n=len(cases),
                              day=(generated_on or date.today()).isoformat())), st["sub"]),
             PageBreak(), Paragraph(text(_("Contents")), st["h2"])]
    story += [Paragraph(text(f"{i}. {c.title}"), st["toc"]) for i, c in enumerate(cases, 1)]
    if not cases:
        story.append(Paragraph(text(_("No published cases for this year yet.")), st["body"]))
    for i, case in enumerate(cases, 1):
        story += [PageBreak(), *case_flowables(i, case, st)]
    doc.build(story, onFirstPage=lambda c, d: None, onLaterPages=on_page)
    return buffer.getvalue()


def collection_stamp(year: int, cases: list[Case], locale: str) -> str:
    """Return a short digest of everything the year's PDF shows: each case's change time, results and links.

    Any change to a case of the collection (or to the name of its provider or offering) gives a new stamp,
    so a cached PDF is used exactly until the collection changes.
    """
    digest = hashlib.sha256(f"{year}|{locale}".encode())
    for case in cases:
        parts = [case.id, case.state, case.updated_at.isoformat() if case.updated_at else "",
                 case.vendor.name if case.vendor else "", case.offering.title if case.offering else "",
                 [(r.indicator, str(r.before), str(r.after), r.unit, r.change.tone) for r in case.results]]
        digest.update(repr(parts).encode())
    return digest.hexdigest()[:16]


def cached_collection_pdf(folder: str | os.PathLike, year: int, cases: list[Case]) -> tuple[bytes, bool]:
    """Return the year's collection PDF and whether it was rendered now (False: read from the cache).

    The cache is one file per year and language in `folder`, named by `collection_stamp`; writing a new
    one removes the older ones of that year and language. A year without published cases is not cached.
    """
    locale = current_locale()
    if not cases:
        return render_collection_pdf(year, cases), True
    directory = Path(folder)
    path = directory / f"{year}-{locale}-{collection_stamp(year, cases, locale)}.pdf"
    if path.is_file():
        return path.read_bytes(), False
    pdf = render_collection_pdf(year, cases)
    directory.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=directory, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temp, path)
    for old in directory.glob(f"{year}-{locale}-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return pdf, True
