"""Encryption of Mews tokens at rest with Fernet.

ORDERDESK_FERNET_KEYS lists the keys, newest first: the first key encrypts, every key decrypts,
so a new key can be put in front and the old ones removed after `rotate_token_keys` has run.
"""

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class TokenDecryptionError(Exception):
    """A stored token cannot be decrypted with any configured key."""


def _demo_key() -> bytes:
    # Demo and development installations may run without configured keys: they derive one from
    # SECRET_KEY, which is good enough for sandbox tokens and never used in production.
    digest = hashlib.sha256(f"orderdesk-token-key:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@functools.cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.strip().encode()))
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(
                f"ORDERDESK_FERNET_KEYS entry {position} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from error
    return MultiFernet(fernets)


def get_fernet() -> MultiFernet:
    """Return the MultiFernet for the configured keys, or the derived key in demo mode."""
    keys = tuple(key for key in settings.FERNET_KEYS if key.strip())
    demo = settings.DEBUG or settings.DEMO_MODE
    if not keys and not demo:
        raise ImproperlyConfigured(
            "ORDERDESK_FERNET_KEYS is required to encrypt Mews tokens. Generate a key with: "
            'python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        )
    if demo:
        # The derived key comes last: it encrypts only when no key is configured, and it still
        # decrypts tokens saved before keys were configured, so rotate_token_keys can move them.
        keys = (*keys, _demo_key().decode())
    return _fernet_for(keys)


def encrypt_token(token: str) -> str:
    return get_fernet().encrypt(token.encode()).decode()


def decrypt_token(ciphertext: str) -> str:
    try:
        return get_fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise TokenDecryptionError(
            "A stored token cannot be decrypted with ORDERDESK_FERNET_KEYS. "
            "Was a key removed before rotate_token_keys ran?"
        ) from error


def rotate_ciphertext(ciphertext: str) -> str:
    """Re-encrypt one stored token with the newest key."""
    try:
        return get_fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise TokenDecryptionError("A stored token cannot be decrypted for rotation.") from error
