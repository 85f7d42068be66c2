"""The window shows the user's own problems verbatim, as the command line does."""

import pytest

from hpt_gui.core.model_file import ModelFileError
from hpt_gui.core.store import StoreError
from hpt_gui.ui.worker import user_message


@pytest.mark.parametrize("error", [ModelFileError, StoreError])
def test_user_errors_are_shown_as_they_are(error):
    sentence = "The disk holding 'p.hpt' is full: free some space and run the study again."
    assert user_message(error(sentence)) == sentence


def test_anything_else_is_named_briefly():
    assert user_message(KeyError("x")).startswith("The study stopped on an unexpected error")
