"""How long does importing 500 offerings take, and what does the report say of the rows made bad on purpose?

    python -m benchmarks.bench_import [--rows 500]

Builds a migrated SQLite database in a temporary folder, a vendor with one model, and a CSV of N offering rows of
which five are bad on purpose (no title, an unknown scenario, a price "abc", a negative price, another vendor's
model); runs the import job as a worker would (the queue in-process), then runs the same file again. Prints the
wall time of each run, rows per second, and the refused cells. Nothing is asserted: this is a measurement.
"""
from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
from pathlib import Path

HEADER = ["SKU编号", "标题", "一句话简介", "详细描述", "计价方式", "价格（元）", "交付周期（天）", "部署方式",
          "适用行业", "应用场景", "关联模型（SKU或编号）", "标签"]
SCENARIOS = ["在线智能检测", "车间智能排产", "能源智能管控", "设备故障诊断与预测", "仓储智能管理"]


def rows(n: int) -> list[list[str]]:
    """N offering rows, five of them bad on purpose (rows 12, 112, 212, 312 and 412 of the file)."""
    out = []
    for i in range(n):
        out.append([f"B-{i:04d}", f"注塑件缺陷检测方案 {i}", "缩痕飞边在线检出", "产线相机实时检测，含部署与培训。",
                    "年度订阅", f"{10000 + i}.50", "30", "私有化、边缘端", "模具与塑料制品", SCENARIOS[i % 5], "M-1",
                    "注塑, 视觉"])
    bad = {10: (1, ""), 110: (9, "造火箭"), 210: (5, "abc"), 310: (5, "-5"), 410: (10, "THEIRS-1")}
    for index, (column, value) in bad.items():
        if index < n:
            out[index][column] = value
    return out


def csv_file(n: int) -> bytes:
    """The CSV file of N rows under the Chinese header."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(rows(n))
    return text.getvalue().encode("utf-8")


def main() -> None:
    """Import the file twice and print the times and the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args()
    from flask_migrate import upgrade
    from werkzeug.datastructures import FileStorage

    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.imports.models import ImportJob
    from marketplace.imports.services import start_import
    from tests.factories import make_model, make_user

    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "INSTANCE_PATH": str(folder),
                      "JOBS_IMMEDIATE": True})
    data = csv_file(args.rows)
    with app.app_context():
        upgrade(revision="heads")
        vendor = make_user("vendor")
        make_model(vendor.organisation, sku="M-1")
        make_model(make_user("vendor").organisation, sku="THEIRS-1")
        for run in ("first upload", "same file again"):
            started = time.perf_counter()
            job = start_import(vendor, "offering", FileStorage(io.BytesIO(data), "offerings.csv"), "zh_CN")
            db.session.commit()  # the job's outbox event starts it; the in-process queue runs it here
            seconds = time.perf_counter() - started
            job = db.session.get(ImportJob, job.id)
            db.session.refresh(job)
            print(f"{run}: {args.rows} rows in {seconds:.2f} s ({args.rows / seconds:.0f} rows/s): "
                  f"created {job.created}, updated {job.updated}, unchanged {job.unchanged}, refused {job.refused}")
        for problem in job.problems:
            print(f"  row {problem['row']} {problem['cell']} {problem['column']}: {problem['reason']}")


if __name__ == "__main__":
    main()
