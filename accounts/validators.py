"""Password rules. Decision 742/QĐ-BTTTT (2023) asks for passwords mixing character classes; the
number of classes required is configurable (``DJANGO_PASSWORD_REQUIRE_CLASSES``)."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Require characters from ``required_classes`` of: lower case, upper case, digits, symbols."""

    def __init__(self, required_classes: int = 3):
        self.required_classes = max(0, min(4, int(required_classes)))

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.required_classes:
            raise ValidationError(
                _("The password must mix at least %(n)s of: lower-case letters, capitals, digits and symbols."),
                code="password_classes",
                params={"n": self.required_classes},
            )

    def get_help_text(self):
        return _("Mix at least %(n)s of: lower-case letters, capitals, digits and symbols.") % {
            "n": self.required_classes
        }
