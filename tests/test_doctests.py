"""The examples in docstrings are true: each module's examples run as tests."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

import selfassess.analysis.statistics
import selfassess.reports.suppression
import selfassess.responses.write
import selfassess.text

MODULES = [selfassess.text, selfassess.responses.write, selfassess.analysis.statistics, selfassess.reports.suppression]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_examples_in_docstrings_hold(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
