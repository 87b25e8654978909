"""makemessages without fuzzy matching: a guessed translation of a new string is worse than none
(the i18n test then names it as missing instead of showing a wrong Vietnamese text)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
