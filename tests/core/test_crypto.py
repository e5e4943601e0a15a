"""Phone numbers at rest: encrypted in the column, clear through the ORM."""

import pytest
from django.db import connection

from gembahall.core import crypto
from gembahall.org.models import Person
from tests import factories as f


def stored_phone(person) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM org_person WHERE id = %s", [person.pk])
        return cursor.fetchone()[0]


def make(phone):
    return f.person(f.center(), phone=phone)


@pytest.mark.django_db
def test_a_phone_number_is_stored_encrypted_and_read_back_in_clear():
    person = make("13812345678")
    stored = stored_phone(person)
    assert stored.startswith("s1$") and "13812345678" not in stored
    assert Person.objects.get(pk=person.pk).phone == "13812345678"
    assert list(
        Person.objects.filter(pk=person.pk).values_list("phone", flat=True)
    ) == ["13812345678"]
    # The same number twice gives two different stored values (fresh nonce).
    other = make(phone="13812345678")
    assert stored_phone(other) != stored
    # No number stays empty, and the rows without one can be found.
    empty = make(phone="")
    assert stored_phone(empty) == ""
    assert Person.objects.filter(phone="").get() == empty


@pytest.mark.django_db
def test_aes_gcm_is_configurable_and_old_rows_still_read(settings):
    person = make(phone="13812345678")
    settings.FIELD_ENCRYPTION_ALGORITHM = "aes-gcm"
    newer = make(phone="13987654321")
    assert stored_phone(newer).startswith("a1$")
    assert Person.objects.get(pk=person.pk).phone == "13812345678"
    assert Person.objects.get(pk=newer.pk).phone == "13987654321"


def test_a_value_altered_or_moved_to_another_column_does_not_decrypt():
    stored = crypto.encrypt("13812345678", context="org.person.phone")
    assert crypto.decrypt(stored, context="org.person.phone") == "13812345678"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, context="ratings.rating.phone")
    tampered = stored[:-4] + ("AAAA" if not stored.endswith("AAAA") else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, context="org.person.phone")


def test_the_blind_index_is_keyed(settings):
    first = crypto.keyed_hash("13812345678")
    assert first == crypto.keyed_hash("13812345678") and "13812345678" not in first
    settings.FIELD_ENCRYPTION_KEY = "another-key-of-enough-length-0123456789"
    assert crypto.keyed_hash("13812345678") != first
