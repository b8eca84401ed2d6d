from django.core.management.base import BaseCommand, CommandError
from django.db import connection as db_connection
from django.db import transaction

from orderdesk.connections.crypto import TokenDecryptionError, rotate_ciphertext
from orderdesk.connections.models import Connection, Property


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored ClientToken and AccessToken with the first key of "
        "ORDERDESK_FERNET_KEYS. Run it after putting a new key first; then the old keys "
        "can be removed."
    )

    def handle(self, *args, **options):
        rotated = 0
        with transaction.atomic():
            for model, column in ((Connection, "client_token"), (Property, "access_token")):
                rotated += self.rotate_column(model, column)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {rotated} tokens with the newest key."))

    def rotate_column(self, model, column):
        # The ciphertext is read and written as raw column values, so the tokens are never
        # decrypted into model instances here.
        table = model._meta.db_table
        quote = db_connection.ops.quote_name
        count = 0
        with db_connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)}")  # noqa: S608
            rows = cursor.fetchall()
            for row_id, ciphertext in rows:
                if not ciphertext:
                    continue
                try:
                    rotated = rotate_ciphertext(ciphertext)
                except TokenDecryptionError as error:
                    raise CommandError(
                        f"The {column} of {model._meta.verbose_name} {row_id} cannot be "
                        "decrypted with any key of ORDERDESK_FERNET_KEYS, so nothing was changed. "
                        "List the key it was saved with after the new one. Tokens saved in demo "
                        "mode without keys are read when ORDERDESK_DEMO=1 is set for this command."
                    ) from error
                cursor.execute(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
                    [rotated, row_id],
                )
                count += 1
        return count
