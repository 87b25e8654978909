from django.db import migrations, models


def fill(apps, schema_editor):
    """The revisions sent before the field existed: their figure values read from their content (as
    reports.models.figure_values writes them)."""
    revision_model = apps.get_model("reports", "ReportRevision")
    changed = []
    for revision in revision_model.objects.all().only("pk", "content").iterator(chunk_size=500):
        figures = (revision.content or {}).get("figures") or {}
        revision.figure_values = {
            code: [
                None if figure.get("value") in (None, "") else str(figure["value"]),
                None if figure.get("previous") in (None, "") else str(figure["previous"]),
                figure.get("currency") or "",
            ]
            for code, figure in figures.items()
            if isinstance(figure, dict)
        }
        changed.append(revision)
    revision_model.objects.bulk_update(changed, ["figure_values"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_provincial_reports_and_revisions")]

    operations = [
        migrations.AddField(
            model_name="reportrevision",
            name="figure_values",
            field=models.JSONField(default=dict, editable=False, verbose_name="figure values"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
