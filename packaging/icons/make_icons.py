"""Draw the hpt-gui app icon and write it as PNG, ICO and ICNS (no display, no Pillow).

Run from the repository root when the design changes, and commit the results:

    QT_QPA_PLATFORM=offscreen python packaging/icons/make_icons.py

Writes, next to this script:

* ``hpt-gui.png``  256 x 256 (Linux .desktop entry, README)
* ``hpt-gui.ico``  16, 24, 32, 48 (32-bit BMP) and 64, 128, 256 (PNG) for the Windows
  executable and installer
* ``hpt-gui.icns`` 16 to 1024 (PNG entries) for the macOS app bundle

The design: three slider tracks on a rounded blue square, each knob at a different
position (hyperparameters being tuned), the middle one highlighted (the best value).
Every size is drawn separately from the vector description, so small sizes stay sharp.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

HERE = Path(__file__).resolve().parent
# The PNG is the running window's icon too, so it lives with the app's resources.
PNG = HERE.parents[1] / "hpt_gui" / "resources" / "hpt-gui.png"
ICO_BMP_SIZES = (16, 24, 32, 48)
ICO_PNG_SIZES = (64, 128, 256)
# ICNS entry types holding PNG data, by pixel size.
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
              (b"ic09", 512), (b"ic10", 1024))

TOP = QColor("#2f6fdf")
BOTTOM = QColor("#163f8f")
TRACK = QColor(255, 255, 255, 90)
FILL = QColor(255, 255, 255, 235)
KNOB = QColor("#ffffff")
BEST = QColor("#ffb020")
# (knob position along the track 0..1, highlighted)
SLIDERS = ((0.30, False), (0.72, True), (0.50, False))


def draw(size: int) -> QImage:
    """The icon at ``size`` x ``size`` pixels, transparent outside the rounded square."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256.0, size / 256.0)  # draw on a 256-unit canvas

    margin = 8.0 if size >= 32 else 2.0
    box = QRectF(margin, margin, 256 - 2 * margin, 256 - 2 * margin)
    gradient = QLinearGradient(box.topLeft(), box.bottomLeft())
    gradient.setColorAt(0.0, TOP)
    gradient.setColorAt(1.0, BOTTOM)
    path = QPainterPath()
    path.addRoundedRect(box, 52, 52)
    p.fillPath(path, gradient)

    # Tracks are thicker at small sizes so they survive 16 px.
    small = size <= 32
    track_w = 26.0 if small else 18.0
    knob_r = 30.0 if small else 24.0
    left, right = 52.0, 204.0
    ys = (74.0, 128.0, 182.0) if not small else (64.0, 128.0, 192.0)
    for (pos, best), y in zip(SLIDERS, ys, strict=True):
        x = left + pos * (right - left)
        p.setPen(QPen(TRACK, track_w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(left, y), QPointF(right, y))
        p.setPen(QPen(BEST if best else FILL, track_w, Qt.PenStyle.SolidLine,
                      Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(left, y), QPointF(x, y))
        p.setPen(Qt.PenStyle.NoPen if small else QPen(BOTTOM, 5.0))
        p.setBrush(BEST if best else KNOB)
        p.drawEllipse(QPointF(x, y), knob_r, knob_r)
    p.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("PNG encoding failed")
    buffer.close()
    return bytes(data)


def bmp_icon_bytes(image: QImage) -> bytes:
    """An ICO entry as a 32-bit DIB: header (double height), BGRA rows bottom-up, AND mask."""
    w, h = image.width(), image.height()
    header = struct.pack("<IiiHHIIiiII", 40, w, 2 * h, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(h - 1, -1, -1):
        line = image.constScanLine(y)  # Format_ARGB32 is BGRA in memory on little-endian
        rows.append(bytes(line)[: 4 * w])
    mask_row = ((w + 31) // 32) * 4
    mask = b"\x00" * (mask_row * h)  # all opaque: the alpha channel decides
    return header + b"".join(rows) + mask


def write_ico(path: Path) -> None:
    entries = [(s, bmp_icon_bytes(draw(s))) for s in ICO_BMP_SIZES]
    entries += [(s, png_bytes(draw(s))) for s in ICO_PNG_SIZES]
    offset = 6 + 16 * len(entries)
    directory, blobs = [], []
    for size, blob in entries:
        dim = 0 if size >= 256 else size
        directory.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    path.write_bytes(struct.pack("<HHH", 0, 1, len(entries)) + b"".join(directory)
                     + b"".join(blobs))


def write_icns(path: Path) -> None:
    body = b""
    for kind, size in ICNS_TYPES:
        blob = png_bytes(draw(size))
        body += kind + struct.pack(">I", 8 + len(blob)) + blob
    path.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    PNG.write_bytes(png_bytes(draw(256)))
    write_ico(HERE / "hpt-gui.ico")
    write_icns(HERE / "hpt-gui.icns")
    for path in (PNG, HERE / "hpt-gui.ico", HERE / "hpt-gui.icns"):
        print(f"{path}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
