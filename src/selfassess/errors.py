"""The one base for input that cannot be used as given (this module imports nothing of ours).

Every layer raises a subclass, each carrying its own words; the command line catches this base alone, exits 2
and prints `report()`, never a traceback, without having to import the layers that might raise one.
"""

from __future__ import annotations


class InvalidInput(ValueError):
    def report(self, command: str) -> list[str]:
        """The lines to show the person who gave the input."""
        return [f"selfassess {command}: {self}"]
