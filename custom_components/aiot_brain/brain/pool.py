"""Each zone's tallies across a building, for a zone to lean on the others'.

A zone that has seen little leans on the rest of its building: the setpoints
people chose in the other zones (:class:`~.comfort.ComfortPool`), how often exits
from the other zones left someone behind (:class:`~.lighting.ExitPool`).
"""

from __future__ import annotations


class ZonePool:
    """Each zone's tallies (``size`` sums), and the other zones' totals.

    The totals are added up afresh after a change, not kept as a running sum: a
    restored building then answers exactly as the one that was saved.

    >>> exits = ZonePool(2)  # each zone's exits, and those that left someone
    >>> exits.update("bathroom", (40.0, 0.0))
    >>> exits.update("living room", (600.0, 3.0))
    >>> exits.others("bathroom")
    (600.0, 3.0)
    >>> exits.remove("living room")
    >>> exits.others("bathroom")
    (0.0, 0.0)
    """

    def __init__(self, size: int) -> None:
        """Start with no zones, each to keep ``size`` tallies."""
        self._none = (0.0,) * size
        self._tallies: dict[str, tuple[float, ...]] = {}
        self._totals: tuple[float, ...] | None = self._none  # None: to add up

    def update(self, zone_id: str, tallies: tuple[float, ...]) -> None:
        """Keep ``zone_id``'s tallies."""
        self._tallies[zone_id] = tallies
        self._totals = None

    def remove(self, zone_id: str) -> None:
        """Forget a zone's tallies."""
        self._tallies.pop(zone_id, None)
        self._totals = None

    def others(self, zone_id: str) -> tuple[float, ...]:
        """Return the tallies of the zones other than ``zone_id``, added up."""
        if self._totals is None:
            columns = zip(*self._tallies.values(), strict=True)
            self._totals = tuple(sum(column) for column in columns) or self._none
        own = self._tallies.get(zone_id, self._none)
        return tuple(
            total - mine for total, mine in zip(self._totals, own, strict=True)
        )
