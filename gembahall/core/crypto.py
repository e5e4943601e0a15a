"""Personal data at rest: phone numbers stored encrypted under a key from the
environment (SM4-GCM, or AES-GCM), read back in clear by the ORM; a keyed
hash as a blind index where a lookup by number is needed; and the mark the
audit trail keeps instead of a number.

The one key (`FIELD_ENCRYPTION_KEY`) is never used as it is: HKDF derives
one subkey to encrypt and another for the keyed hashes, so a hash never
helps to decrypt. A stored value names its algorithm (`s1$…` for SM4-GCM,
`a1$…` for AES-GCM), so rows written before `FIELD_ENCRYPTION_ALGORITHM`
changed still read; each is bound to its column (the column's name is the
associated data), so a value copied into another column fails to decrypt.
"""

import base64
import hmac as std_hmac
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

NONCE = 12
TAG = 16
# Algorithm name in settings → (prefix stored, cipher, key bytes, hash).
ALGORITHMS = {
    "sm4-gcm": ("s1", algorithms.SM4, 16, hashes.SM3),
    "aes-gcm": ("a1", algorithms.AES, 32, hashes.SHA256),
}
BY_PREFIX = {prefix: name for name, (prefix, *_rest) in ALGORITHMS.items()}

KEY_HINT = (
    "Set FIELD_ENCRYPTION_KEY to a long random string kept apart from the "
    "database and its backups, e.g. the output of python -c 'import secrets; "
    "print(secrets.token_urlsafe(32))'. Losing it loses the phone numbers."
)


class DecryptionError(Exception):
    """A stored value that the configured key cannot open."""


def algorithm() -> str:
    name = settings.FIELD_ENCRYPTION_ALGORITHM
    if name not in ALGORITHMS:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_ALGORITHM must be one of {', '.join(ALGORITHMS)}."
        )
    return name


@cache
def _subkey(master: str, purpose: str, length: int) -> bytes:
    if len(master) < 16:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEY is not set. {KEY_HINT}")
    return HKDF(
        algorithm=hashes.SHA256(),
        length=length,
        salt=None,
        info=f"gembahall/{purpose}".encode(),
    ).derive(master.encode())


def _cipher_key(name: str) -> bytes:
    return _subkey(settings.FIELD_ENCRYPTION_KEY, name, ALGORITHMS[name][2])


def encrypt(plain: str, *, context: str) -> str:
    """`plain` encrypted with a fresh nonce, as `prefix$base64`; empty stays
    empty so that "no number" needs no key and reads as no number."""
    if not plain:
        return plain
    name = algorithm()
    prefix, cipher, _size, _hash = ALGORITHMS[name]
    nonce = os.urandom(NONCE)
    enc = Cipher(cipher(_cipher_key(name)), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(context.encode())
    body = enc.update(plain.encode()) + enc.finalize() + enc.tag
    return f"{prefix}${base64.urlsafe_b64encode(nonce + body).decode()}"


def decrypt(stored: str, *, context: str) -> str:
    """The clear text of a stored value. A value with no known prefix is a
    row written before encryption (read as it is, until the migration that
    encrypts it has run)."""
    prefix, sep, rest = (stored or "").partition("$")
    if not sep or prefix not in BY_PREFIX:
        return stored
    name = BY_PREFIX[prefix]
    _prefix, cipher, _size, _hash = ALGORITHMS[name]
    raw = base64.urlsafe_b64decode(rest)
    nonce, body, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    dec = Cipher(cipher(_cipher_key(name)), modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(context.encode())
    try:
        return (dec.update(body) + dec.finalize()).decode()
    except InvalidTag as error:
        raise DecryptionError(f"{context}: wrong key or altered value") from error


def is_encrypted(stored: str) -> bool:
    prefix, sep, _rest = (stored or "").partition("$")
    return bool(sep) and prefix in BY_PREFIX


def keyed_hash(plain: str, *, purpose: str = "index") -> str:
    """HMAC-SM3 (with SM4) or HMAC-SHA256 (with AES) of `plain` under a
    subkey of its own: the same number always gives the same hash, which
    finds a row without decrypting every row, and tells nothing without the
    key."""
    if not plain:
        return ""
    name = algorithm()
    digest = ALGORITHMS[name][3]
    mac = hmac.HMAC(_subkey(settings.FIELD_ENCRYPTION_KEY, purpose, 32), digest())
    mac.update(plain.encode())
    return mac.finalize().hex()


def same(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())


def audit_mark(plain: str) -> str:
    """What the audit trail keeps of a phone number: whether there is one and
    a short keyed fingerprint, so two snapshots show that it changed while
    neither shows the number."""
    return f"#{keyed_hash(plain, purpose='audit')[:8]}" if plain else ""


class EncryptedCharField(models.CharField):
    """A short text stored encrypted and read back in clear. Its rows can be
    filtered only for being empty (`phone=""`); a lookup by value goes
    through a blind index column beside it (`keyed_hash`)."""

    personal = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 120)
        super().__init__(*args, **kwargs)

    def _context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value, context=self._context())

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if not value or is_encrypted(value):
            return value
        return encrypt(value, context=self._context())

    def get_lookup(self, lookup_name):
        if lookup_name not in {"exact", "isnull", "in"}:
            return None
        return super().get_lookup(lookup_name)


def encrypt_column(app_label: str, model_name: str, field: str = "phone"):
    """A RunPython step that rewrites every clear value of a column encrypted
    (the field encrypts on write and reads clear values as they are)."""

    def run(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        meta = model._meta
        qn = schema_editor.connection.ops.quote_name
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn(meta.pk.column)}, {qn(meta.get_field(field).column)} "  # noqa: S608
                f"FROM {qn(meta.db_table)}"
            )
            clear = [
                (pk, v) for pk, v in cursor.fetchall() if v and not is_encrypted(v)
            ]
        for pk, value in clear:
            model.objects.filter(pk=pk).update(**{field: value})

    return run


def scrub_freed_space(app_label: str, model_name: str):
    """A RunPython step, in a migration that is not atomic, that leaves no
    clear value behind in the database files once a column is encrypted:
    SQLite rewrites the file (VACUUM; secure_delete is on for the
    connection, so freed pages were zeroed too) and empties its write-ahead
    log; PostgreSQL rewrites the table (VACUUM FULL), so no dead row version
    keeps the old value."""

    def run(apps, schema_editor):
        connection = schema_editor.connection
        table = apps.get_model(app_label, model_name)._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("VACUUM")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            elif connection.vendor == "postgresql":
                cursor.execute(f"VACUUM FULL {connection.ops.quote_name(table)}")

    return run
