"""Reading an uploaded table: CSV (UTF-8 with or without BOM, or GBK/GB18030 as Excel in China saves it) or XLSX
(openpyxl, read-only), into rows of text — and the columns of each kind of import, matched by their Chinese or
English header.

Cell values are turned into text without float arithmetic: a number cell becomes its shortest decimal spelling
(`12800.5`, never `12800.499999`), so amounts are parsed from text by the forms' own fields, as on the pages.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError

MAX_ROWS = 5000
"""The most data rows one file may have (the header row not counted)."""

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Column:
    """One column of an import file: the form field it fills, its Chinese and English headers, whether the row
    needs it, the vocabulary its values come from, and whether it holds several values."""

    field: str
    zh: str
    en: str
    required: bool = False
    vocab: str | None = None
    multi: bool = False
    example: str = ""
    in_template: bool = True

    def header(self, locale: str) -> str:
        """Return the header in the given language."""
        return self.en if str(locale).startswith("en") else self.zh


SKU = Column("sku", "SKU编号", "SKU", required=True)

OFFERING_COLUMNS: tuple[Column, ...] = (
    Column("sku", "SKU编号", "SKU", required=True, example="QC-001"),
    Column("title", "标题", "Title", required=True, example="注塑件表面缺陷视觉检测"),
    Column("summary", "一句话简介", "Summary", required=True, example="产线相机实时检出缩痕、飞边、银纹"),
    Column("description", "详细描述", "Description", required=True,
           example="基于场景小模型的在线检测方案，含相机选型、模型训练与产线部署。"),
    Column("pricing_plan", "计价方式", "Pricing plan", required=True, vocab="plan", example="一次性买断"),
    Column("price", "价格（元）", "Price (CNY)", example="128000.00"),
    Column("price_fen", "价格（分）", "Price (fen)", in_template=False),
    Column("delivery_days", "交付周期（天）", "Delivery days", required=True, example="30"),
    Column("deployments", "部署方式", "Deployments", required=True, vocab="deployment", multi=True,
           example="私有化、边缘端"),
    Column("industries", "适用行业", "Industries", required=True, vocab="industry", multi=True,
           example="模具与塑料制品"),
    Column("scenarios", "应用场景", "Scenarios", required=True, vocab="scenario", multi=True, example="在线智能检测"),
    Column("models", "关联模型（SKU或编号）", "Models (SKU or id)", multi=True, example="M-001"),
    Column("tags", "标签", "Tags", multi=True, example="注塑, 视觉检测"),
)
"""The columns of an offerings file. A price is given in yuan (`price`) or, for systems that keep fen, in whole
fen (`price_fen`)."""

MODEL_COLUMNS: tuple[Column, ...] = (
    Column("sku", "SKU编号", "SKU", required=True, example="M-001"),
    Column("name", "模型名称", "Model name", required=True, example="注塑缺陷检测小模型"),
    Column("kind", "模型类型", "Model kind", required=True, vocab="model_kind", example="场景小模型"),
    Column("version", "版本", "Version", required=True, example="1.2"),
    Column("summary", "一句话简介", "Summary", required=True, example="识别缩痕、飞边、银纹等 12 类缺陷"),
    Column("description", "详细描述", "Description", required=True,
           example="在 5 万张注塑件图像上训练，支持产线相机实时推理。"),
    Column("tasks", "任务", "Tasks", example="缺陷检测, 缺陷分类"),
    Column("industries", "适用行业", "Industries", required=True, vocab="industry", multi=True,
           example="模具与塑料制品"),
    Column("scenarios", "应用场景", "Scenarios", required=True, vocab="scenario", multi=True, example="在线智能检测"),
    Column("modalities", "输入模态", "Input modalities", required=True, vocab="modality", multi=True,
           example="图像"),
    Column("deployments", "部署方式", "Deployments", required=True, vocab="deployment", multi=True,
           example="私有化、边缘端"),
    Column("hardware", "硬件需求", "Hardware needs", example="NVIDIA Jetson Orin 或同级边缘盒"),
    Column("licence", "许可证", "Licence", example="商业授权"),
)
"""The columns of a models file."""

COLUMNS: dict[str, tuple[Column, ...]] = {"offering": OFFERING_COLUMNS, "model": MODEL_COLUMNS}
KIND_LABELS = {"offering": _l("Offerings"), "model": _l("Models")}


def header_key(text: str) -> str:
    """Normalise a header for matching: no spaces, asterisks or parenthesis style, lower case."""
    text = str(text or "").replace("（", "(").replace("）", ")").replace("*", "").replace("\ufeff", "")
    return re.sub(r"\s+", "", text).lower()


def match_headers(kind: str, header: list[str]) -> dict[int, Column]:
    """Map each header cell's position to its column (Chinese, English or the field's name); unknown headers are
    left out. Refuse a header that lacks a required column or names one twice."""
    names: dict[str, Column] = {}
    for column in COLUMNS[kind]:
        for name in (column.zh, column.en, column.field):
            names[header_key(name)] = column
    found: dict[int, Column] = {}
    for position, cell in enumerate(header):
        named = names.get(header_key(cell))
        if named is None:
            continue
        if named in found.values():
            raise DomainError(_("The column “%(name)s” appears twice in the header row.", name=cell), "file")
        found[position] = named
    present = {c.field for c in found.values()}
    missing = [c for c in COLUMNS[kind] if c.required and c.field not in present]
    if kind == "offering" and not present & {"price", "price_fen"}:
        missing.append(OFFERING_COLUMNS[5])
    if missing:
        raise DomainError(_("The header row lacks these columns: %(names)s. Download the template to see them.",
                            names="、".join(c.zh for c in missing)), "file")
    return found


def cell_text(value) -> str:
    """Turn a spreadsheet cell into text: numbers in their shortest exact spelling, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def decode_csv(data: bytes) -> str:
    """Decode a CSV file: UTF-8 (with or without BOM), else GB18030 (which reads GBK), else refuse it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise DomainError(_("The file is neither UTF-8 nor GBK text; save it as CSV (UTF-8) or XLSX."),
                          "file") from None


def too_many_rows() -> DomainError:
    """The refusal of a file with more rows than one import takes."""
    return DomainError(_("A file may have at most %(n)d rows; split it into several files.", n=MAX_ROWS), "file")


def read_rows(data: bytes) -> list[list[str]]:
    """Read a CSV or XLSX file into rows of text, the header first; trailing empty rows are left out."""
    if data.startswith(XLSX_MAGIC):
        rows = read_xlsx(data)
    else:
        try:
            text = decode_csv(data)
        except UnicodeDecodeError:
            raise DomainError(_("The file is neither UTF-8 nor GBK text; save it as CSV (UTF-8) or XLSX."),
                              "file") from None
        if "\x00" in text:
            raise DomainError(_("This is not a CSV or XLSX file."), "file")
        rows = []
        try:
            for row in csv.reader(io.StringIO(text, newline="")):
                rows.append([cell.strip() for cell in row])
                if len(rows) > MAX_ROWS + 1 and any(rows[-1]):
                    raise too_many_rows()
        except csv.Error:
            raise DomainError(_("The CSV file could not be read (a quote is not closed)."), "file") from None
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise DomainError(_("The file is empty."), "file")
    if len(rows) - 1 > MAX_ROWS:
        raise too_many_rows()
    return rows


def read_xlsx(data: bytes) -> list[list[str]]:
    """Read the first sheet of an XLSX workbook (read-only mode) into rows of text."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise DomainError(_("This XLSX file could not be opened; save it again from Excel or WPS."), "file") from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1 and any(rows[-1]):
                raise too_many_rows()
        return rows
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError):
        raise DomainError(_("This XLSX file could not be opened; save it again from Excel or WPS."), "file") from None
    finally:
        workbook.close()
