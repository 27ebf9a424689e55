"""Key-encryption keys (KEK): what wraps each beneficiary's key in `beneficiary_key`, kept
outside the database.

The store holds every beneficiary's key wrapped, never in clear: a copy of the database, or of
its backups, opens no sealed field without the KEK. Each wrapped key is stored with the id of the
KEK that wrapped it (`beneficiary_key.kek_id`), so that a rotation (`maillage rewrap-keys`,
`api.store.rewrap`) moves keys from one KEK to the next a batch at a time, can be interrupted and
resumed, and the service opens keys under either KEK meanwhile.

`KeyWrapper` is the plug point for a key-management service: wrap and unwrap a beneficiary's key,
bound to its case, under a KEK named by `key_id`. One implementation here, `LocalKeyWrapper`:
AES-256-GCM under a key the operator gives (`MAILLAGE_KEY_ENCRYPTION_KEY`, the base64 of 32
random bytes) or, in the embedded mode only, a key file beside the SQLite file (`<file>.kek`,
mode 0600), created on first use and logged. The case's id is bound as associated data: a
wrapped key moved to another case's row does not open. A KEK's id is a fingerprint of it
(`local:` + 16 hex digits of a SHA-256 over it), which says which KEK wrapped a key and nothing
of the KEK itself.

Only the KEK stays in a process's memory; the beneficiaries' keys are unwrapped at each use and
never kept (`api.store.keyring`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from api.settings import InsecureSettingsError, Settings

log = logging.getLogger("maillage.keyring")

KEY_FILE_SUFFIX = ".kek"
_WRAPPED_FOR = b"maillage/beneficiary-key/v1:"  # + the case's id: the associated data
_NONCE = 12


class KeyEncryptionKeyError(RuntimeError):
    """A beneficiary's key cannot be opened with the key-encryption keys this process was given
    (another KEK wrapped it, or it fails its authentication): the service's configuration is at
    fault, not the request. The message is for the operator."""

    def __init__(self, message: str, *, case_id: UUID | None = None) -> None:
        super().__init__(message)
        self.case_id = case_id


class KeyWrapper(Protocol):
    """A key-encryption key, local or held by a key-management service."""

    @property
    def key_id(self) -> str:
        """Names this KEK in `beneficiary_key.kek_id` (stable, reveals nothing of the KEK)."""

    def wrap(self, key: bytes, case_id: UUID) -> bytes:
        """`key` encrypted for the case `case_id` only."""

    def unwrap(self, wrapped: bytes, case_id: UUID) -> bytes:
        """The key `wrap` was given for `case_id`; `KeyEncryptionKeyError` if it does not
        authenticate (another KEK, another case, altered bytes)."""


class LocalKeyWrapper:
    """AES-256-GCM under a 32-byte key held by this process."""

    def __init__(self, kek: bytes) -> None:
        if len(kek) != 32:
            raise ValueError("a key-encryption key is 32 bytes")
        self._aead = AESGCM(kek)
        self._key_id = "local:" + hashlib.sha256(b"maillage/kek-id:" + kek).hexdigest()[:16]

    @classmethod
    def from_text(cls, text: str, source: str) -> LocalKeyWrapper:
        """From the base64 text of a setting or key file; `source` names it in the refusal."""
        try:
            kek = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            kek = b""
        if len(kek) != 32:
            raise InsecureSettingsError(
                f"{source} must be the base64 of 32 random bytes (`maillage new-cipher-key` "
                "prints one)"
            )
        return cls(kek)

    @property
    def key_id(self) -> str:
        return self._key_id

    def wrap(self, key: bytes, case_id: UUID) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, key, _WRAPPED_FOR + case_id.bytes)

    def unwrap(self, wrapped: bytes, case_id: UUID) -> bytes:
        try:
            return self._aead.decrypt(
                wrapped[:_NONCE], wrapped[_NONCE:], _WRAPPED_FOR + case_id.bytes
            )
        except InvalidTag:
            raise KeyEncryptionKeyError(
                f"the key of case {case_id} does not open with the key-encryption key "
                f"{self.key_id} that it names: the row was altered or moved",
                case_id=case_id,
            ) from None


@dataclass(frozen=True)
class KeyEncryptionKeys:
    """The KEK that wraps (`current`) and, during a rotation, those that only unwrap."""

    current: KeyWrapper
    previous: tuple[KeyWrapper, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.current.key_id, *(kek.key_id for kek in self.previous))

    def wrap(self, key: bytes, case_id: UUID) -> tuple[bytes, str]:
        """The wrapped key and the id to store beside it."""
        return self.current.wrap(key, case_id), self.current.key_id

    def unwrap(self, wrapped: bytes, kek_id: str | None, case_id: UUID) -> bytes:
        if kek_id is None:
            raise KeyEncryptionKeyError(
                f"the key of case {case_id} is stored in clear: run `maillage rewrap-keys`",
                case_id=case_id,
            )
        for kek in (self.current, *self.previous):
            if kek.key_id == kek_id:
                return kek.unwrap(wrapped, case_id)
        raise KeyEncryptionKeyError(
            f"the key of case {case_id} was wrapped by the key-encryption key {kek_id}, which "
            f"this process was not given (it has {', '.join(self.ids)}): set "
            "MAILLAGE_KEY_ENCRYPTION_KEY to the key the store was written with (or, during a "
            "rotation, MAILLAGE_PREVIOUS_KEY_ENCRYPTION_KEY)",
            case_id=case_id,
        )


def key_file_of(settings: Settings) -> Path:
    """The embedded mode's key file: beside the SQLite file (`maillage.sqlite3.kek`)."""
    database = Path(make_url(settings.database_url).database or "maillage.sqlite3")
    return database.with_name(database.name + KEY_FILE_SUFFIX)


def key_encryption_keys(
    settings: Settings, *, store_has_wrapped_keys: Callable[[], bool] | None = None
) -> KeyEncryptionKeys:
    """The KEKs `settings` give: `MAILLAGE_KEY_ENCRYPTION_KEY` (and the previous one during a
    rotation); unset, the embedded mode's key file, read or created — but never created for a
    store that already holds wrapped keys (`store_has_wrapped_keys`): they would not open.
    Outside the embedded mode, no KEK is a refusal to start (`InsecureSettingsError`)."""
    previous = _from_setting(
        settings.previous_key_encryption_key, "MAILLAGE_PREVIOUS_KEY_ENCRYPTION_KEY"
    )
    current = _from_setting(settings.key_encryption_key, "MAILLAGE_KEY_ENCRYPTION_KEY")
    if current is None:
        if not settings.is_embedded:
            raise InsecureSettingsError(
                "outside the embedded mode, set MAILLAGE_KEY_ENCRYPTION_KEY (the base64 of 32 "
                "random bytes, `maillage new-cipher-key`): it wraps the beneficiaries' keys, so "
                "that the database alone opens nothing personal"
            )
        current = _embedded_key(key_file_of(settings), store_has_wrapped_keys)
    earlier = () if previous is None or previous.key_id == current.key_id else (previous,)
    return KeyEncryptionKeys(current, earlier)


def _from_setting(value: SecretStr | None, name: str) -> LocalKeyWrapper | None:
    return None if value is None else LocalKeyWrapper.from_text(value.get_secret_value(), name)


def _embedded_key(path: Path, store_has_wrapped_keys: Callable[[], bool] | None) -> LocalKeyWrapper:
    created = False
    if not path.exists():
        if store_has_wrapped_keys is not None and store_has_wrapped_keys():
            raise KeyEncryptionKeyError(
                f"the store's beneficiary keys are wrapped, but their key file {path} is "
                "missing: put it back, or set MAILLAGE_KEY_ENCRYPTION_KEY to the key that "
                "wrapped them"
            )
        created = _create_key_file(path)
    kek = LocalKeyWrapper.from_text(path.read_text(), f"the key file {path}")
    if path.stat().st_mode & 0o077:
        log.warning("the key file %s is readable by others than its owner: chmod 600 it", path)
    log.info(
        "embedded mode: the beneficiaries' keys are wrapped with the key file %s (%s, %s); "
        "whoever can read both it and the database can open personal data: set "
        "MAILLAGE_KEY_ENCRYPTION_KEY to keep the key elsewhere",
        path,
        "created now" if created else "found",
        kek.key_id,
    )
    return kek


def _create_key_file(path: Path) -> bool:
    """Write a new key file, owner-only, whole or not at all; False if another process made
    one first (theirs is used)."""
    text = base64.b64encode(os.urandom(32)).decode() + "\n"
    fd, draft = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".new")
    try:
        try:
            os.write(fd, text.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(draft, 0o600)
        try:
            os.link(draft, path)  # atomic, and never over an existing file
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(draft)
