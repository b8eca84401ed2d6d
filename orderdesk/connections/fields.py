from django.db import models

from orderdesk.connections.crypto import decrypt_token, encrypt_token


class EncryptedTokenField(models.TextField):
    """A text column that stores a Mews token encrypted with Fernet.

    Python code reads and writes the plain token, and the database stores only the ciphertext.
    The column cannot be searched or ordered by value.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_token(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_token(value)
