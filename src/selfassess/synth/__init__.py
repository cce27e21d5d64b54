"""Synthetic national rounds: data of any size with the 2009 design."""

from selfassess.synth.simple import simple_round

__all__ = ["simple_round"]
