"""One place that renders official documents: a report or a letter, built once as a context,
written to PDF (fpdf2), XLSX (openpyxl) or DOCX (python-docx) with the same words and figures.

The callers (the monthly report, the answer letter) translate everything before building the
context, so the renderers never choose a language. PDFs embed DejaVu Sans, which covers Latin,
Uzbek Cyrillic (Ққ Ғғ Ҳҳ Ўў) and the ʻ/ʼ marks; the font ships with matplotlib, a pinned
dependency, so a fresh `make run` has it without any system package.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

# --- the contexts -------------------------------------------------------------------------------


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str | int]]
    totals: list[str | int] | None = None
    first_width: float = 3.0  # the first column's width, in units of the others'


@dataclass
class Chart:
    title: str
    labels: list[str]
    values: list[int]


@dataclass
class Report:
    """An official report: A4 landscape, title, organisation, period, page numbers and the
    signature block of the responsible officer and the head."""

    title: str
    organisation: str
    period: str
    generated: str
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)  # the roles that sign, in order
    notes: list[str] = field(default_factory=list)
    page_label: str = "Page {page} of {pages}"
    sign_label: str = "(signature)"


@dataclass
class Letterhead:
    name: str
    address: str
    phone: str


@dataclass
class Letter:
    """An official answer letter (R-P2-9): letterhead, outgoing number and date, addressee,
    the text once, the outcome per issue with its legal ground, signer, executor."""

    letterhead: Letterhead
    number_line: str
    addressee: list[str]
    reference_line: str
    paragraphs: list[str]
    outcomes_title: str
    outcomes: list[tuple[str, str, str]]  # issue, outcome, legal ground
    signer_position: str
    signer_name: str
    executor_line: str
    verify_url: str = ""
    verify_label: str = ""
    draft_mark: str = ""


# --- fonts --------------------------------------------------------------------------------------


def font_path(bold: bool = False) -> Path:
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def _pdf(orientation: str):  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(font_path()))
    pdf.add_font("DejaVu", "B", str(font_path(bold=True)))
    pdf.set_font("DejaVu", size=10)
    pdf.set_auto_page_break(auto=True, margin=18)
    return pdf


# --- reports ------------------------------------------------------------------------------------


def report_pdf(report: Report) -> bytes:
    from fpdf import FPDF

    class _ReportPDF(FPDF):  # type: ignore[misc]
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            text = report.page_label.format(page=self.page_no(), pages="{nb}")
            self.cell(0, 6, text, align="C")

    pdf = _ReportPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(font_path()))
    pdf.add_font("DejaVu", "B", str(font_path(bold=True)))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 7, report.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    for line in (report.organisation, report.period, report.generated):
        pdf.multi_cell(0, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for table in report.tables:
        _pdf_table(pdf, table)
    for chart in report.charts:
        _pdf_chart(pdf, chart)
    for note in report.notes:
        pdf.set_font("DejaVu", size=8)
        pdf.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")
    _pdf_signatures(pdf, report)
    return bytes(pdf.output())


def _pdf_table(pdf, table: Table) -> None:  # type: ignore[no-untyped-def]
    if not table.rows and table.totals is None:
        return
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 6, table.title, new_x="LMARGIN", new_y="NEXT")
    n = len(table.headers)
    width = pdf.epw
    unit = width / (table.first_width + n - 1)
    widths = [unit * table.first_width] + [unit] * (n - 1)
    size = 7 if n > 8 else 9
    pdf.set_font("DejaVu", size=size)
    with pdf.table(
        col_widths=widths,
        text_align=["LEFT"] + ["RIGHT"] * (n - 1),
        repeat_headings=1,
        line_height=size * 0.5,
        headings_style=_heading_style(size - 1 if n > 8 else size),
    ) as t:
        head = t.row()
        for h in table.headers:
            head.cell(str(h))
        for row in table.rows:
            r = t.row()
            for value in row:
                r.cell(str(value))
        if table.totals is not None:
            r = t.row()
            for value in table.totals:
                r.cell(str(value))
    pdf.ln(3)


def _heading_style(size: float):  # type: ignore[no-untyped-def]
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", size_pt=size, fill_color=(230, 230, 230))


def _pdf_chart(pdf, chart: Chart) -> None:  # type: ignore[no-untyped-def]
    if not chart.values:
        return
    png = chart_png(chart)
    if pdf.will_page_break(70):
        pdf.add_page()
    pdf.image(io.BytesIO(png), w=min(pdf.epw, 180), h=65)
    pdf.ln(2)


def chart_png(chart: Chart) -> bytes:
    """A horizontal bar chart as PNG (matplotlib, Agg: no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.2), dpi=110)
    ax = fig.add_subplot()
    labels = [label if len(label) <= 45 else label[:44] + "…" for label in chart.labels]
    ax.barh(list(range(len(labels)))[::-1], chart.values, color="#0d6efd")
    ax.set_yticks(list(range(len(labels)))[::-1], labels=labels, fontsize=8)
    ax.set_title(chart.title, fontsize=10)
    ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _pdf_signatures(pdf, report: Report) -> None:  # type: ignore[no-untyped-def]
    if not report.signatures:
        return
    if pdf.will_page_break(12 * len(report.signatures) + 10):
        pdf.add_page()
    pdf.ln(8)
    pdf.set_font("DejaVu", size=10)
    for role in report.signatures:
        pdf.cell(110, 8, role)
        pdf.cell(70, 8, "_" * 28)
        pdf.cell(0, 8, "_" * 22, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=7)
        pdf.cell(110, 4, "")
        pdf.cell(70, 4, report.sign_label)
        pdf.cell(0, 4, "", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=10)
        pdf.ln(3)


def report_xlsx(report: Report) -> bytes:
    """The same report as a workbook ready to print: A4 landscape, fit to width, the title rows
    and the header repeated on every page, the header frozen on screen."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for index, table in enumerate(report.tables):
        ws = wb.create_sheet(_sheet_title(table.title, index))
        ws.append([report.title])
        ws.append([report.organisation])
        ws.append([report.period])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([table.title])
        ws["A4"].font = Font(bold=True)
        header_row = 5
        ws.append(table.headers)
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="E6E6E6")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            ws.append(row)
        if table.totals is not None:
            ws.append(table.totals)
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 48
        for col in range(2, len(table.headers) + 1):
            ws.column_dimensions[get_column_letter(col)].width = 12
        ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
        ws.print_title_rows = f"1:{header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddFooter.center.text = "&P / &N"
        ws.oddHeader.center.text = report.title[:200]
        if index == len(report.tables) - 1 and report.signatures:
            ws.append([])
            for role in report.signatures:
                ws.append([role, "", "____________________"])
    if not wb.worksheets:
        wb.create_sheet("-")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str, index: int) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28]
    return f"{index + 1} {cleaned}"[:31]


# --- letters ------------------------------------------------------------------------------------


def letter_pdf(letter: Letter) -> bytes:
    """A4 portrait; the QR code in the corner opens the public confirmation of the letter."""
    pdf = _pdf("P")
    pdf.set_margins(25, 15, 15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 6, letter.letterhead.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    contact = " · ".join(p for p in (letter.letterhead.address, letter.letterhead.phone) if p)
    if contact:
        pdf.multi_cell(0, 5, contact, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(4)
    if letter.verify_url:
        import segno

        qr = io.BytesIO()
        segno.make(letter.verify_url, error="m").save(qr, kind="png", scale=4, border=1)
        qr.seek(0)
        pdf.image(qr, x=pdf.w - pdf.r_margin - 25, y=pdf.get_y(), w=25, h=25)
    pdf.set_font("DejaVu", size=10)
    if letter.draft_mark:
        pdf.set_text_color(180, 0, 0)
        pdf.cell(0, 6, letter.draft_mark, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.cell(120, 6, letter.number_line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_x(pdf.w / 2)
    for line in letter.addressee:
        pdf.set_x(pdf.w / 2)
        pdf.multi_cell(pdf.w / 2 - pdf.r_margin, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("DejaVu", size=11)
    if letter.reference_line:
        pdf.multi_cell(0, 6, letter.reference_line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    for paragraph in letter.paragraphs:
        pdf.multi_cell(0, 6, paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if letter.outcomes:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(0, 6, letter.outcomes_title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=10)
        for issue, outcome, ground in letter.outcomes:
            line = f"• {issue}: {outcome}" + (f" ({ground})" if ground else "")
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(100, 6, letter.signer_position)
    pdf.cell(0, 6, letter.signer_name, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    pdf.set_font("DejaVu", size=8)
    pdf.multi_cell(0, 4, letter.executor_line, new_x="LMARGIN", new_y="NEXT")
    if letter.verify_label:
        pdf.multi_cell(0, 4, letter.verify_label, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def letter_docx(letter: Letter) -> bytes:
    from docx import Document as DocxDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = DocxDocument()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    section.top_margin, section.bottom_margin = Mm(15), Mm(20)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.add_run(letter.letterhead.name).bold = True
    contact = " · ".join(p for p in (letter.letterhead.address, letter.letterhead.phone) if p)
    if contact:
        line = doc.add_paragraph(contact)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if letter.draft_mark:
        doc.add_paragraph(letter.draft_mark)
    doc.add_paragraph(letter.number_line)
    for line_text in letter.addressee:
        p = doc.add_paragraph(line_text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("")
    if letter.reference_line:
        doc.add_paragraph(letter.reference_line)
    for paragraph in letter.paragraphs:
        p = doc.add_paragraph(paragraph)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if letter.outcomes:
        doc.add_paragraph(letter.outcomes_title).runs[0].bold = True
        for issue, outcome, ground in letter.outcomes:
            text = f"{issue}: {outcome}" + (f" ({ground})" if ground else "")
            doc.add_paragraph(text, style="List Bullet")
    doc.add_paragraph("")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = letter.signer_position
    table.cell(0, 1).text = letter.signer_name
    table.cell(0, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("")
    executor = doc.add_paragraph(letter.executor_line)
    executor.runs[0].font.size = Pt(9)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- posters (R-ORG-1) --------------------------------------------------------------------------


@dataclass
class PosterQr:
    label: str
    url: str


@dataclass
class Poster:
    """The notice every institution hangs up (R-ORG-1): who leads it, when they receive, their
    work phones, the responsible officer for appeals, and QR codes to write and to book."""

    title: str
    organisation: str
    address: str
    phone: str
    leaders_title: str
    leaders: list[tuple[str, str, str, str]]  # full name, position, reception hours, phone
    officer_title: str
    officer: str
    codes: list[PosterQr]
    footer: str = ""


def poster_pdf(poster: Poster) -> bytes:
    """A4 portrait, large type; each QR code has its address printed under it, so the poster
    still works where a phone cannot read the code."""
    import segno

    pdf = _pdf("P")
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 20)
    pdf.multi_cell(0, 10, poster.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, poster.organisation, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=11)
    contact = " · ".join(p for p in (poster.address, poster.phone) if p)
    if contact:
        pdf.multi_cell(0, 6, contact, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 8, poster.leaders_title, new_x="LMARGIN", new_y="NEXT")
    for name, position, hours, phone in poster.leaders:
        pdf.set_font("DejaVu", "B", 13)
        pdf.multi_cell(0, 7, name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=11)
        for line in (position, hours, phone):
            if line:
                pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    if poster.officer:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 13)
        pdf.multi_cell(0, 8, poster.officer_title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=11)
        pdf.multi_cell(0, 6, poster.officer, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    size = 55.0
    if pdf.get_y() + size + 25 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    column = (pdf.w - pdf.l_margin - pdf.r_margin) / max(1, len(poster.codes))
    for index, code in enumerate(poster.codes):
        x = pdf.l_margin + index * column
        qr = io.BytesIO()
        segno.make(code.url, error="m").save(qr, kind="png", scale=8, border=2)
        qr.seek(0)
        pdf.image(qr, x=x + (column - size) / 2, y=top, w=size, h=size)
        pdf.set_xy(x, top + size + 1)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(column, 6, code.label, align="C")
        pdf.set_xy(x, pdf.get_y())
        pdf.set_font("DejaVu", size=8)
        pdf.multi_cell(column, 4, code.url, align="C")
    if poster.footer:
        pdf.set_y(-22)
        pdf.set_font("DejaVu", size=8)
        pdf.multi_cell(0, 4, poster.footer, align="C")
    return bytes(pdf.output())
