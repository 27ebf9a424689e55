"""What a personal value reads as once its beneficiary's key is destroyed (`domain.privacy`).

Apart from `domain.privacy` so that the case can name it without importing the sealing, which
itself knows the case's event classes: no import cycle."""

from __future__ import annotations

ERASED_TEXT = "[erased]"


class Erased:
    """What a personal value reads as once its key is destroyed."""

    _instance: Erased | None = None

    def __new__(cls) -> Erased:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ERASED"


ERASED = Erased()
