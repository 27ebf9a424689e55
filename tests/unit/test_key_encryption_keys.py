"""The local key-encryption key (`api/store/kek.py`), without a store: a wrapped key opens for its
own case only, under the KEK its id names; the previous KEK of a rotation opens, never wraps."""

from __future__ import annotations

import base64
import os
from uuid import uuid4

import pytest

from api.settings import InsecureSettingsError, Settings
from api.store.kek import (
    KeyEncryptionKeyError,
    KeyEncryptionKeys,
    LocalKeyWrapper,
    key_encryption_keys,
)
from domain.privacy import new_key


def kek() -> LocalKeyWrapper:
    return LocalKeyWrapper(os.urandom(32))


def test_a_wrapped_key_opens_for_its_own_case_only() -> None:
    wrapper, key, case, other = kek(), new_key(), uuid4(), uuid4()
    wrapped = wrapper.wrap(key, case)
    assert wrapper.unwrap(wrapped, case) == key
    assert key not in wrapped
    assert wrapper.wrap(key, case) != wrapped  # a fresh nonce each time
    with pytest.raises(KeyEncryptionKeyError, match="does not open"):
        wrapper.unwrap(wrapped, other)  # moved to another case's row
    altered = bytearray(wrapped)
    altered[20] ^= 1
    with pytest.raises(KeyEncryptionKeyError, match="does not open"):
        wrapper.unwrap(bytes(altered), case)
    with pytest.raises(KeyEncryptionKeyError, match="does not open"):
        kek().unwrap(wrapped, case)


def test_a_kek_is_named_by_a_fingerprint_that_reveals_nothing_of_it() -> None:
    raw = os.urandom(32)
    text = base64.b64encode(raw).decode()
    one = LocalKeyWrapper.from_text(text, "X")
    assert one.key_id == LocalKeyWrapper(raw).key_id  # stable
    assert one.key_id.startswith("local:")
    assert len(one.key_id) == len("local:") + 16
    assert raw.hex()[:16] not in one.key_id
    assert one.key_id != kek().key_id


def test_the_previous_kek_opens_and_the_current_one_wraps() -> None:
    old, new, case = kek(), kek(), uuid4()
    under_old = old.wrap(new_key(), case)
    rotating = KeyEncryptionKeys(new, (old,))
    assert rotating.unwrap(under_old, old.key_id, case) == old.unwrap(under_old, case)
    wrapped, kek_id = rotating.wrap(new_key(), case)
    assert kek_id == new.key_id
    assert new.unwrap(wrapped, case)
    with pytest.raises(
        KeyEncryptionKeyError, match=f"wrapped by the key-encryption key {old.key_id}"
    ):
        KeyEncryptionKeys(new).unwrap(under_old, old.key_id, case)
    with pytest.raises(KeyEncryptionKeyError, match="in clear"):
        rotating.unwrap(new_key(), None, case)


def test_settings_give_the_keks_and_a_previous_equal_to_the_current_is_dropped() -> None:
    text = base64.b64encode(os.urandom(32)).decode()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none",
        key_encryption_key=text,
        previous_key_encryption_key=text,
    )
    keks = key_encryption_keys(settings)
    assert keks.current.key_id == LocalKeyWrapper.from_text(text, "-").key_id
    assert keks.previous == ()
    with pytest.raises(InsecureSettingsError, match="set MAILLAGE_KEY_ENCRYPTION_KEY"):
        key_encryption_keys(settings.model_copy(update={"key_encryption_key": None}))
