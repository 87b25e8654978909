from django.core.management.base import BaseCommand

from core.synthetic import SCALES, generate


class Command(BaseCommand):
    help = "Generate realistic synthetic data for tests and benchmarks (deterministic by --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="province")
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        if not 1 <= options["years"] <= 30:
            self.stderr.write("--years must be between 1 and 30")
            raise SystemExit(2)
        generate(
            scale=options["scale"],
            years=options["years"],
            seed=options["seed"],
            log=lambda line: self.stdout.write(line),
        )
