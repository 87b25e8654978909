from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import backup_write


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a new folder, with a checksum manifest."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="a new or empty folder")

    def handle(self, *args, **options):
        try:
            manifest = backup_write(Path(options["output"]))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written: {len(manifest['files'])} files in {options['output']}")
