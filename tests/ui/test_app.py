"""The application object: styled, and with its icon for title bars and task bars."""

from hpt_gui.ui.app import make_app


def test_the_app_has_its_icon(qtbot):
    icon = make_app().windowIcon()
    assert not icon.isNull() and icon.availableSizes()[0].width() == 256
