"""API errors are JSON with a message per field; a bad request is a 400, never a 500."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.services import VersionConflict


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, VersionConflict):
        return Response(
            {"detail": _("This record was changed by someone else."), "version": exc.current.version},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    elif isinstance(exc, IntegrityError | DataError):
        exc = exceptions.ValidationError({"non_field_errors": [_("The data conflicts with an existing record.")]})
    return drf_exception_handler(exc, context)
