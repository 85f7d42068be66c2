"""Test setup shared by core and ui tests: no display needed, Qt renders offscreen."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
