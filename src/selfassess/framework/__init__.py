"""The framework: practices, stages, questions, descriptors, sectors, audiences, scale and bands, as data."""

from selfassess.framework.loader import (
    FrameworkError,
    builtin_frameworks,
    builtin_path,
    framework_from_text,
    load_framework,
    parse_framework,
)
from selfassess.framework.model import (
    AnswerOption,
    Audience,
    Band,
    Framework,
    Practice,
    Question,
    Sector,
    Stage,
)

__all__ = [
    "AnswerOption",
    "Audience",
    "Band",
    "Framework",
    "FrameworkError",
    "Practice",
    "Question",
    "Sector",
    "Stage",
    "builtin_frameworks",
    "builtin_path",
    "framework_from_text",
    "load_framework",
    "parse_framework",
]
