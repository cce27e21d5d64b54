"""Synthetic national rounds: the calibrated 2009 round, and a quick uncalibrated one for any size."""

from selfassess.synth.compare import Item, compare, problems
from selfassess.synth.earlier import earlier_round
from selfassess.synth.national import NotThe2009Framework, national_round
from selfassess.synth.simple import simple_round

__all__ = ["Item", "NotThe2009Framework", "compare", "earlier_round", "national_round", "problems", "simple_round"]
