"""The diagnosis report as an A4 PDF, set with the case collection's fonts and text handling
(`marketplace.cases.collection_pdf`: STSong-Light for Chinese, Helvetica for Latin runs)."""
from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from marketplace.cases.collection_pdf import BRAND, LINE, register_font, styles, text
from marketplace.diagnosis.indicators import indicator_system
from marketplace.diagnosis.level import level_label
from marketplace.diagnosis.report import Report
from marketplace.templating import term_label


def scores_table(report: Report, st: dict) -> Table:
    """The dimension scores as a table with a bar drawn in each row."""
    rows = [[Paragraph(text(h), st["cell"]) for h in (_("Dimension"), _("Score"), _("Out of"), "")]]
    for d in report.dimensions:
        bar = Table([[""]], colWidths=[max(d.percent, 1) * 0.6 * mm], rowHeights=[4 * mm])
        bar.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), BRAND)]))
        rows.append([Paragraph(text(str(d.dimension.name)), st["cell"]), Paragraph(text(f"{d.points:.1f}"), st["cell"]),
                     Paragraph(text(str(d.max_points)), st["cell"]), bar])
    table = Table(rows, colWidths=[50 * mm, 22 * mm, 22 * mm, 66 * mm])
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f3f6")),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def render_report_pdf(report: Report) -> bytes:
    """Render a diagnosis report as A4 PDF bytes."""
    register_font()
    st = styles()
    a, org = report.assessment, report.assessment.organisation
    title = _("Digital-level diagnosis report")
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=title, author=org.name)
    story = [Paragraph(text(title), st["h2"]),
             Paragraph(text(f"{org.name} · {term_label(org.city, 'city')} · {term_label(org.industry, 'industry')}"),
                       st["meta"]),
             Paragraph(text(_("Self-assessment of %(date)s: %(total)s points, %(level)s",
                              date=a.taken_at.date().isoformat(), total=f"{a.total:.1f}", level=level_label(a.level))),
                       st["body"]),
             Paragraph(text(_("The level that counts: %(standing)s", standing=report.standing.describe())), st["body"]),
             Spacer(1, 4 * mm), scores_table(report, st),
             Paragraph(text(_("Weakest dimensions")), st["h3"])]
    story += [Paragraph(text(f"{d.dimension.name}: {d.points:.1f} / {d.max_points}"), st["body"])
              for d in report.weakest]
    story.append(Paragraph(text(_("Where enterprises like yours typically start")), st["h3"]))
    if report.scenarios_from_all_industries:
        story.append(Paragraph(text(_("Too few cases and needs in your industry yet: all industries counted.")),
                               st["meta"]))
    story += [Paragraph(text(_("%(scenario)s (weight %(weight)s)", scenario=term_label(code, "scenario"),
                               weight=weight)), st["body"]) for code, weight in report.scenarios]
    if report.matches_pending:
        story.append(Paragraph(text(_("The search index is being built: the matching solutions appear here in a few "
                                      "minutes.")), st["meta"]))
    for kind, heading in (("offering", _("Offerings")), ("case", _("Showcase cases")), ("provider", _("Providers"))):
        story.append(Paragraph(text(heading), st["h3"]))
        found = report.matches.get(kind) or []
        story += [Paragraph(text(m.record.title), st["body"]) for m in found]
        if not found:
            story.append(Paragraph(text(_("Nothing suitable yet.")), st["meta"]))
    system = indicator_system()
    story += [Spacer(1, 4 * mm), Paragraph(text(_("Source and limits")), st["h3"]),
              Paragraph(text(system.source["document"]), st["meta"])]
    story += [Paragraph(text(str(t)), st["meta"]) for t in system.not_found]
    story.append(Paragraph(text(str(system.derivation)), st["meta"]))
    doc.build(story)
    return buffer.getvalue()
