"""Model-level guards that keep submissions and their status history from being rewritten.

A submission's status changes only through the posting and settling services, and every change
is appended as a new SubmissionEvent. Deleting either record, or changing an event that is
already stored, raises ImmutableRecordError whichever code path tries it (view, admin, shell).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableRecordError(Exception):
    """Raised on an attempt to delete an audit record or to change a stored status change."""


DELETE_MESSAGE = _("Submissions and their status history are permanent and cannot be deleted.")
CHANGE_EVENT_MESSAGE = _("A recorded status change cannot be changed. Append a new one instead.")


class UndeletableQuerySet(models.QuerySet):
    """A queryset whose delete() raises, so bulk deletes fail as single ones do."""

    def delete(self):
        raise ImmutableRecordError(str(DELETE_MESSAGE))

    delete.alters_data = True
    delete.queryset_only = True


class AppendOnlyQuerySet(UndeletableQuerySet):
    """A queryset that only inserts: update() and bulk_update() raise as delete() does."""

    def update(self, **kwargs):
        raise ImmutableRecordError(str(CHANGE_EVENT_MESSAGE))

    update.alters_data = True
    update.queryset_only = True

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecordError(str(CHANGE_EVENT_MESSAGE))

    bulk_update.alters_data = True


class UndeletableModel(models.Model):
    """A model whose rows can be inserted and updated by services but never deleted."""

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, using=None, keep_parents=False):
        raise ImmutableRecordError(str(DELETE_MESSAGE))


class AppendOnlyModel(UndeletableModel):
    """A model whose rows are written once: saving a stored row again raises."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A row loaded from the database has _state.adding False. A forced update of a new
        # instance is rejected too, so only a plain insert gets through.
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise ImmutableRecordError(str(CHANGE_EVENT_MESSAGE))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)
