"""Fixtures of the export tests; the helpers themselves live in exportkit.py."""

from __future__ import annotations

import pytest
from exportkit import ATTACHMENTS, COMMENTS, make_snapshot


@pytest.fixture
def snapshot():
    return make_snapshot(attachments=ATTACHMENTS, comments=COMMENTS)
