"""Where the beneficiaries' keys are kept, apart from the log (`domain.privacy` seals with
them): the keyring's contract, the keys fetched at once for a batch about to be sealed, and an
in-memory keyring for unit tests (the store's is `api.store.keyring`)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.errors import BeneficiaryErasedError


class Keyring(Protocol):
    """Where the beneficiaries' keys are kept, apart from the log."""

    def key(self, key_id: UUID) -> bytes | None:
        """The key, or None if it never existed or was destroyed."""

    def key_for_sealing(self, key_id: UUID) -> bytes:
        """The key, created if new; `BeneficiaryErasedError` if it was destroyed."""

    def destroy(self, key_id: UUID) -> bool:
        """Destroy the key, leaving a tombstone, and wipe the store's leftovers of it; False if
        there was no live key."""

    def is_destroyed(self, key_id: UUID) -> bool: ...

    def wipe_pending(self, key_id: UUID) -> bool:
        """The key is destroyed but the store may still keep a copy (a wipe to finish)."""

    def wipe(self) -> bool:
        """Overwrite the store's leftovers of destroyed keys; False if it could not yet."""

    def keys_for_sealing(self, key_ids: Iterable[UUID]) -> dict[UUID, bytes]:
        """`key_for_sealing` for many at once (those created in one go); erased ones left out."""


# Keys fetched for a batch of events about to be sealed (`keys_at_hand`): one query for the
# batch instead of one per event, and one transaction for all the new cases' keys.
_AT_HAND: ContextVar[dict[UUID, bytes] | None] = ContextVar("maillage_keys_at_hand", default=None)


@contextmanager
def keys_at_hand(keyring: Keyring, key_ids: Iterable[UUID]) -> Iterator[None]:
    """While the block runs, sealing for these cases uses keys fetched (or created) at once."""
    token = _AT_HAND.set(keyring.keys_for_sealing(key_ids))
    try:
        yield
    finally:
        _AT_HAND.reset(token)


# The keys a keyring handed out from its process's memory while one save was sealed (a
# `sealing_record`): the store checks them again in the transaction that inserts the events, so
# that a key destroyed meanwhile by another process fails the command as an erased case does.
_FROM_CACHE: ContextVar[set[UUID] | None] = ContextVar("maillage_sealed_from_cache", default=None)


@contextmanager
def sealing_record() -> Iterator[None]:
    """Within the block (one save: its events sealed, then inserted), note the keys sealed with
    from a keyring's memory; a record already open goes on (a unit's keys fetched before)."""
    if _FROM_CACHE.get() is not None:
        yield
        return
    token = _FROM_CACHE.set(set())
    try:
        yield
    finally:
        _FROM_CACHE.reset(token)


def note_sealed_from_cache(key_ids: Iterable[UUID]) -> None:
    """A keyring says: these keys came from its memory, not from the store (see above)."""
    noted = _FROM_CACHE.get()
    if noted is not None:
        noted.update(key_ids)


def sealed_from_cache() -> frozenset[UUID]:
    """The keys noted by the save in progress in this context (none outside one)."""
    noted = _FROM_CACHE.get()
    return frozenset(noted) if noted else frozenset()


def sealing_key(keyring: Keyring, case_id: UUID) -> bytes:
    """The key to seal a case's values with: at hand if fetched for the batch, else asked."""
    at_hand = _AT_HAND.get()
    if at_hand is not None and case_id in at_hand:
        return at_hand[case_id]
    return keyring.key_for_sealing(case_id)


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


class InMemoryKeyring:
    """Keys in a dict: for the in-memory store of unit tests."""

    def __init__(self) -> None:
        self._keys: dict[UUID, bytes | None] = {}
        self._lock = threading.Lock()

    def key(self, key_id: UUID) -> bytes | None:
        return self._keys.get(key_id)

    def key_for_sealing(self, key_id: UUID) -> bytes:
        with self._lock:
            if key_id not in self._keys:
                self._keys[key_id] = new_key()
            key = self._keys[key_id]
        if key is None:
            raise BeneficiaryErasedError.of_case(key_id)
        return key

    def keys_for_sealing(self, key_ids: Iterable[UUID]) -> dict[UUID, bytes]:
        wanted = set(key_ids)
        with self._lock:
            for key_id in wanted:
                self._keys.setdefault(key_id, new_key())
            return {k: v for k in wanted if (v := self._keys[k]) is not None}

    def destroy(self, key_id: UUID) -> bool:
        with self._lock:
            live = self._keys.get(key_id) is not None
            self._keys[key_id] = None
        return live

    def is_destroyed(self, key_id: UUID) -> bool:
        return key_id in self._keys and self._keys[key_id] is None

    def wipe_pending(self, key_id: UUID) -> bool:
        return False  # a dict keeps no leftovers

    def wipe(self) -> bool:
        return True
