"""Help > Guide: every section renders with its pictures, every link names a view the main
window implements, and a click asks for that view instead of navigating."""

import re

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from hpt_gui.ui import guide_pictures
from hpt_gui.ui.guide import (
    SECTION_KEYS,
    VIEW_TARGETS,
    GuideWindow,
    href,
    links_in_guide,
    pictures_of,
    section_html,
    target_of,
)
from hpt_gui.ui.guide_text import SECTIONS

HREF = re.compile(r'href="([^"]*)"')
IMG = re.compile(r'<img src="pic:(\w+)"')


@pytest.fixture
def guide(qtbot):
    window = GuideWindow()
    qtbot.addWidget(window)
    return window


def _words(section) -> int:
    return len(re.sub(r"<[^>]+>|\[picture \w+\]", " ", section.body).split())


def test_every_section_renders_its_text_and_pictures(guide):
    document = guide.browser.document()
    for key in SECTION_KEYS:
        guide.show_section(key)
        assert guide.current_key() == key
        text = guide.browser.toPlainText()
        section = SECTIONS[SECTION_KEYS.index(key)]
        assert section.title in text and "See it in the app" in text
        names = IMG.findall(guide.browser.toHtml())
        assert names and names == pictures_of(section), key
        for name in names:
            image = document.resource(QTextDocument.ResourceType.ImageResource,
                                      QUrl(f"pic:{name}"))
            assert image is not None and not image.isNull(), (key, name)


def test_sections_are_short_and_each_picture_is_used():
    assert len(set(SECTION_KEYS)) == len(SECTION_KEYS)
    for section in SECTIONS:
        assert 150 <= _words(section) <= 350, (section.key, _words(section))
    used = {name for section in SECTIONS for name in pictures_of(section)}
    assert used == set(guide_pictures.PICTURES)


def test_pictures_are_drawn_on_white_at_a_readable_size(qapp):
    for name in guide_pictures.PICTURES:
        image = guide_pictures.picture(name)
        assert image.width() == guide_pictures.WIDTH and 100 <= image.height() <= 200, name
        assert image.pixelColor(1, 1).name() == "#ffffff", name
        # something is drawn: the picture is not one colour
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
                   for y in range(0, image.height(), 7)}
        assert len(colours) > 5, name


def test_every_link_is_a_known_view_and_links_in_guide_covers_them():
    listed = links_in_guide()
    assert len(listed) == len(set(listed))
    for section in SECTIONS:
        hrefs = HREF.findall(section_html(section))
        assert hrefs, section.key
        for address in hrefs:
            scheme, _, target = address.partition(":")
            assert scheme == "view" and target in VIEW_TARGETS, (section.key, address)
            assert target in listed
    # every view the main window implements for the guide is shown by some section
    assert set(listed) == set(VIEW_TARGETS)


def test_a_click_asks_for_the_view_and_the_page_stays(guide, qtbot):
    guide.show_section("bias-variance")
    before = guide.browser.toHtml()
    with qtbot.waitSignal(guide.view_requested, timeout=1000) as blocker:
        guide.browser.anchorClicked.emit(QUrl(href("results/Under/overfit")))
    assert blocker.args == ["results/Under/overfit"]
    assert guide.browser.toHtml() == before
    assert guide.browser.source().isEmpty()
    assert guide.current_key() == "bias-variance"


def test_only_known_views_are_requested(guide, qtbot):
    with qtbot.assertNotEmitted(guide.view_requested):
        guide.browser.anchorClicked.emit(QUrl("https://example.org/"))
        guide.browser.anchorClicked.emit(QUrl("view:no such view"))
    assert target_of(QUrl(href("results/Fold scores"))) == "results/Fold scores"


def test_unknown_section_is_refused(guide):
    with pytest.raises(KeyError, match="no section"):
        guide.show_section("no-such-section")


def test_previous_and_next_walk_the_sections(guide):
    assert not guide.previous_button.isEnabled()
    guide.next_button.click()
    assert guide.current_key() == SECTION_KEYS[1]
    guide.show_section(SECTION_KEYS[-1])
    assert not guide.next_button.isEnabled()


@pytest.mark.parametrize("words, keys", [
    ("parameters versus hyperparameters", ["parameters"]),
    ("manual and grid search", ["manual-grid"]),
    ("random search", ["random"]),
    ("Bayesian search", ["bayesian"]),
    ("evolutionary search", ["evolutionary"]),
    ("cross-validation, optimism, nested CV and a test set",
     ["cross-validation", "optimism", "test-nested"]),
    ("regularization: L1, L2, strength", ["regularization"]),
    ("bias, variance, underfitting and overfitting", ["bias-variance"]),
    ("successive halving", ["halving"]),
    ("the one-standard-error choice", ["one-se"]),
    ("comparing models", ["compare"]),
    ("predicting on new data", ["predict"]),
])
def test_the_issue_topics_each_have_a_linked_section(words, keys):
    needles = {
        "parameters": ["parameters", "hyperparameters"],
        "manual-grid": ["Manual search", "Grid search"],
        "random": ["Random search"],
        "bayesian": ["Bayesian search", "TPE"],
        "evolutionary": ["Evolutionary search", "CMA-ES", "NSGA-II"],
        "cross-validation": ["k-fold cross-validation"],
        "optimism": ["optimism", "highest"],
        "test-nested": ["held-out test set", "Nested cross-validation"],
        "regularization": ["L1", "L2", "Strength", "alpha", "C"],
        "bias-variance": ["Underfitting", "Overfitting", "bias", "variance"],
        "halving": ["Successive halving", "Pruned"],
        "one-se": ["one-standard-error rule", "standard error"],
        "compare": ["corrected resampled t-test", "Nadeau and Bengio", "same folds"],
        "predict": ["Predict on new data"],
    }
    for key in keys:
        section = SECTIONS[SECTION_KEYS.index(key)]
        for needle in needles[key]:
            assert needle.lower() in " ".join(section.body.split()).lower(), (key, needle)
        assert section.links, key
