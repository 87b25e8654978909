import re
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import verify_chain

# A head as the backup's manifest and output write it: the hash, or the entry's id and its hash.
_HEAD = re.compile(r"^(?:#?(?P<id>\d+):)?(?P<hash>[0-9a-f]{64})$")


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exit non-zero at the first broken link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            metavar="HASH",
            help=(
                "a head recorded earlier (a backup's manifest, the output of backup or of this command): HASH or "
                "ID:HASH. The log must still hold that entry, at that id; exit non-zero if entries were removed."
            ),
        )

    def handle(self, *args, **options):
        expect_head, expect_id = "", None
        if options["expect_head"]:
            match = _HEAD.match(options["expect_head"].strip().lower())
            if match is None:
                raise CommandError(_("--expect-head takes a SHA-256 hash (64 hexadecimal digits), or ID:HASH"))
            expect_head = match["hash"]
            expect_id = int(match["id"]) if match["id"] else None
        report = verify_chain(expect_head=expect_head, expect_id=expect_id)
        if report.broken_at is not None:
            self.stderr.write(f"audit chain broken at entry {report.broken_at}: {report.reason}")
            sys.exit(1)
        if report.truncated:
            self.stderr.write(self.truncation(report))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} entries"))
        if expect_head:
            # Only with --expect-head: the plain call prints what it always has (scripts read it).
            self.stdout.write(
                ngettext(
                    "the recorded head is entry #%(id)d; %(count)d entry was written after it",
                    "the recorded head is entry #%(id)d; %(count)d entries were written after it",
                    report.after_head,
                )
                % {"id": report.head_id, "count": report.after_head}
            )

    @staticmethod
    def truncation(report) -> str:
        """What is missing, as precisely as the recorded head tells it."""
        values = {
            "head": report.expected_head,
            "expected_id": report.expected_id,
            "head_id": report.head_id,
            "last_id": report.last_id,
            "last_hash": report.last_hash,
        }
        if report.head_id is not None:
            return (
                _("audit chain renumbered: the recorded head %(head)s is entry #%(head_id)d, not #%(expected_id)d")
                % values
            )
        if report.last_id is None:
            return _("audit chain truncated: the log is empty; the recorded head %(head)s is missing") % values
        if report.expected_id is not None and report.last_id < report.expected_id:
            values["first"] = report.last_id + 1
            # A range of ids, not a count: PostgreSQL's sequences leave gaps where a transaction rolled back.
            if values["first"] == report.expected_id:
                message = _(
                    "audit chain truncated: the log ends at entry #%(last_id)d (%(last_hash)s); entry #%(first)d, "
                    "the recorded head %(head)s, is missing"
                )
            else:
                message = _(
                    "audit chain truncated: the log ends at entry #%(last_id)d (%(last_hash)s); the entries numbered "
                    "#%(first)d to #%(expected_id)d are missing, the last of them the recorded head %(head)s"
                )
            return message % values
        return (
            _(
                "audit chain truncated or rewritten: the recorded head %(head)s is not in the log, which ends at "
                "entry #%(last_id)d (%(last_hash)s)"
            )
            % values
        )
