"""selfassess: run a maturity self-assessment across many local partnerships and report on it."""

__version__ = "0.1.0"
