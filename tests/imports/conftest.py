"""Helpers for import tests: files of offerings and models written as CSV (UTF-8 or GBK) or XLSX."""
from __future__ import annotations

import csv
import io

import pytest

OFFERING_HEADER = ["SKU编号", "标题", "一句话简介", "详细描述", "计价方式", "价格（元）", "交付周期（天）", "部署方式",
                   "适用行业", "应用场景", "关联模型（SKU或编号）", "标签"]

ALIASES = {"models": "关联模型（SKU或编号）", "scenarios": "应用场景"}


def offering_row(sku: str, title: str | None = None, price: str = "12800.50", **cells) -> list[str]:
    """One good offering row (cells by header may be replaced)."""
    row = dict(zip(OFFERING_HEADER, [sku, title or f"注塑件缺陷检测 {sku}", "缩痕飞边在线检出", "产线相机实时检测。",
                                     "一次性买断", price, "30", "私有化、边缘端", "模具与塑料制品", "在线智能检测", "",
                                     "注塑, 视觉"], strict=True))
    row.update({ALIASES.get(k, k): v for k, v in cells.items()})
    return [row[h] for h in OFFERING_HEADER]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", header: list[str] | None = None) -> bytes:
    """Write rows under a header as CSV in an encoding."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or OFFERING_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], header: list[str] | None = None) -> bytes:
    """Write rows under a header as an XLSX workbook."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or OFFERING_HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def vendor(auth):
    """A signed-in vendor."""
    return auth.as_role("vendor")


def upload(client, data: bytes, kind: str = "offering", name: str = "offerings.csv"):
    """Upload a file on the import page; return the response."""
    return client.post("/imports", data={"kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")
