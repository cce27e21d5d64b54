"""What a sentence made by rule must never say, whatever the framework or the data: the shapes of the broken
sentences found in earlier reports (a lone 'no', a count of one with a plural, one thing named as both highest and
lowest, 'A or B or C'...). Used on every paragraph of the reports of
the built-in frameworks, a third framework and random ones."""

from __future__ import annotations

import html
import re

from selfassess.framework import Framework

SHAPES = [
    (r"\b(?:in|of|for|by|from) no(?:[.,;:]| of\b)", "a count of nought written 'no' with nothing after it"),
    (r"\bno \(0 per cent\)", "'no (0 per cent)'"),
    (r"\bmade up of one (?!of the )\w", "'made up of one' before a plural"),
    (r"withheld \(withheld", "'withheld' said twice"),
    (r"\d\.0 in a hundred", "a share in a hundred with a needless decimal"),
    (
        r"highest for (?:the )?([\w' -]+?)(?: stage)?(?: \([\d.]+\))? and (?:the )?lowest for \1\b",
        "one thing highest and lowest",
    ),
    (r" or [\w']+(?: [\w']+){0,2} or ", "'A or B or C'"),
]


def paragraphs(page: str) -> list[str]:
    """The words of a page's paragraphs (not its tables), tags dropped and entities decoded."""
    found = re.findall(r"<p\b[^>]*>(.*?)</p>", page, flags=re.S)
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", p))).strip() for p in found]


def broken(page: str, framework: Framework) -> list[str]:
    """Each paragraph of the page that has one of the shapes, with what is wrong."""
    shapes = [
        *SHAPES,
        (rf"\b(?:one|1) {re.escape(framework.units)}\b", "a count of one with the unit's plural"),
        (rf"\b(?:one|1) {re.escape(framework.unit_titles)}\b", "a count of one with the unit's plural"),
    ]
    problems = []
    for text in paragraphs(page):
        for pattern, what in shapes:
            if re.search(pattern, text):
                problems.append(f"{what}: {text[:160]}")
    return problems
