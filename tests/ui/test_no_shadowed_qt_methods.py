"""No widget attribute hides a Qt method: Qt calls its virtuals (``metric``, ``event``,
``size``...) on the Python object, and an attribute of the same name there (a combo box
called ``metric``) crashes the process when the widget is painted or grabbed."""

import ast
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

UI = Path(__file__).resolve().parents[2] / "hpt_gui" / "ui"
QT_NAMES = set(dir(QMainWindow)) | set(dir(QDialog)) | set(dir(QWidget))


def _assigned_attributes(tree: ast.AST):
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for node in ast.walk(cls):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id == "self":
                    yield cls.name, target.attr, node.lineno


def test_no_attribute_shadows_a_qt_method():
    clashes = []
    for path in sorted(UI.rglob("*.py")):
        for cls, name, line in _assigned_attributes(ast.parse(path.read_text("utf-8"))):
            if name in QT_NAMES and callable(getattr(QWidget, name, None) or
                                             getattr(QMainWindow, name, None)):
                clashes.append(f"{path.relative_to(UI)}:{line} {cls}.{name}")
    assert clashes == []
