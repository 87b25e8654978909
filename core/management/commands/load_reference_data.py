from django.core.management.base import BaseCommand

from core.reference import load_reference_data


class Command(BaseCommand):
    help = "Load countries, foreign subdivisions, Vietnamese units with their succession, fields and currencies."

    def handle(self, *args, **options):
        load_reference_data(log=lambda line: self.stdout.write(line))
