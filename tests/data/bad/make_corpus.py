"""Writes the bad-input corpus beside this file (run it again to remake the files).

Each file is a way real exports go wrong; tests/core/test_bad_input.py says what hpt-gui
must do with each: a DatasetError with a sentence saying what is wrong and what to do, or
loading correctly where that is the right answer.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def _text(name: str, text: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(text.encode(encoding))


def _rows(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"age": rng.integers(18, 80, n), "income": rng.normal(50, 10, n).round(2),
                         "city": rng.choice(["Lyon", "Paris", "Nice"], n),
                         "bought": rng.choice(["yes", "no"], n)})


def main() -> None:
    good = _rows()
    csv = good.to_csv(index=False)
    (HERE / "empty.csv").write_bytes(b"")
    _text("header_only.csv", "age,income,city,bought\n")
    (HERE / "binary_garbage.csv").write_bytes(bytes(np.random.default_rng(1).integers(
        0, 256, 4000, dtype=np.uint8)))
    _text("latin1.csv", csv.replace("Nice", "Orléans"), "latin-1")
    _text("utf16.csv", csv.replace("Nice", "Orléans"), "utf-16")
    _text("utf8_bom.csv", "\ufeff" + csv)
    lines = csv.splitlines()
    _text("ragged_rows.csv", "\n".join(lines[:10] + [lines[10] + ",extra,more"] + lines[11:]))
    _text("single_column.csv", good[["bought"]].to_csv(index=False))
    _text("duplicate_columns.csv", csv.replace("age,income,city,bought", "age,age,city,bought",
                                               1))
    _text("semicolon_decimal_comma.csv",
          good.to_csv(index=False, sep=";", decimal=","))
    quoted = good.copy()
    quoted["city"] = quoted["city"] + '\n(“center”)'
    _text("quoted_newlines.csv", quoted.to_csv(index=False))
    missing = good.copy()
    missing["bought"] = np.nan
    _text("all_missing_target.csv", missing.to_csv(index=False))
    constant = good.copy()
    constant["income"] = 3.5
    _text("constant_target.csv", constant.to_csv(index=False))
    single = good.copy()
    single["bought"] = "yes"
    _text("single_class.csv", single.to_csv(index=False))
    rare = good.copy()
    rare["bought"] = ["rare" if i < 2 else "common" for i in range(len(rare))]
    _text("rare_class.csv", rare.to_csv(index=False))
    infinite = good.copy().astype({"income": float})
    infinite.loc[::5, "income"] = np.inf
    infinite.loc[1::7, "income"] = -np.inf
    _text("infinities.csv", infinite.to_csv(index=False))
    huge = good.copy().astype({"income": float})
    huge["income"] = huge["income"] * 1e305
    _text("huge_magnitudes.csv", huge.to_csv(index=False))
    dates = good.copy()
    dates["bought"] = pd.date_range("2024-01-01", periods=len(dates)).strftime("%Y-%m-%d")
    _text("date_target.csv", dates.to_csv(index=False))
    wide = pd.DataFrame(np.random.default_rng(2).normal(size=(30, 10_000)).round(3),
                        columns=[f"x{i}" for i in range(10_000)])
    wide["y"] = np.arange(30) % 2
    _text("ten_thousand_columns.csv", wide.to_csv(index=False))
    (HERE / "corrupt.xlsx").write_bytes(b"PK\x03\x04" + b"not really a workbook" * 20)
    with pd.ExcelWriter(HERE / "several_sheets.xlsx") as writer:
        good.to_excel(writer, sheet_name="data", index=False)
        pd.DataFrame({"note": ["exported by the CRM"]}).to_excel(writer, sheet_name="about",
                                                                  index=False)
    nested = pd.DataFrame({"tags": [[1, 2], [3], [], [4, 5]] * 10,
                           "y": ["a", "b"] * 20})
    nested.to_parquet(HERE / "nested.parquet", index=False)
    _text("only_ids.csv", pd.DataFrame({"customer_id": range(40),
                                        "bought": good["bought"]}).to_csv(index=False))
    _text("blank_lines.csv", csv.replace("\n", "\n\n", 5))
    _text("null_bytes.csv", csv[:200] + "\x00\x00" + csv[200:])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", csv)
    (HERE / "zipped_but_named.csv").write_bytes(buffer.getvalue())
    _text("csv_named_xlsx.xlsx", csv)
    _text("html_page.csv", "<!DOCTYPE html><html><body><table><tr><td>age</td></tr>"
          "</table></body></html>\n")
    _text("tab_separated.tsv", good.to_csv(index=False, sep="\t"))
    _text("thousands_separators.csv", good.assign(
        income=[f"{v * 1000:,.2f}" for v in good["income"]]).to_csv(index=False))


if __name__ == "__main__":
    main()
