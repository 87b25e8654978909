"""The core tables as migrations 0001-0007 leave them, in one step, so that a new database (and every
test worker's) is built in seconds: the seven migrations render the model states again after each of
their operations. Written from the models as they stand (makemigrations into an empty package), then the
RunPython steps added at the end; a database migrated either way has the same schema (pg_dump -s compared).
The old migrations stay for the databases that applied them. On PostgreSQL, the extensions, the trigram
indexes of 0002 and the Vietnamese collation of 0006 come last."""

import django.core.serializers.json
import django.core.validators
import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

TRIGRAM_TABLES = ["core_unit", "core_country", "core_foreignsubdivision", "core_declaredfigure"]
COLLATION = "CREATE COLLATION IF NOT EXISTS vi_icu (provider = icu, locale = 'vi-VN')"


def create_search_indexes_and_collation(apps, schema_editor):
    """What 0002_search_trigram_indexes and 0006_vietnamese_collation do."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for table in TRIGRAM_TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )
    schema_editor.execute(COLLATION)


def drop_search_indexes_and_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP COLLATION IF EXISTS vi_icu")
    for table in TRIGRAM_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('core', '0001_units_reference_audit_jobs'),
        ('core', '0002_search_trigram_indexes'),
        ('core', '0003_unit_key_allows_dots'),
        ('core', '0004_total_orderings_and_rule_constraints'),
        ('core', '0005_idempotency_reservation'),
        ('core', '0006_vietnamese_collation'),
        ('core', '0007_declared_figure_currency_and_wordings'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Country',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('search_text', models.TextField(blank=True, default='', editable=False)),
                ('name_en', models.CharField(max_length=200, verbose_name='English name')),
                ('name_vi', models.CharField(max_length=200, verbose_name='Vietnamese name')),
                ('iso2', models.CharField(max_length=2, unique=True, verbose_name='ISO code')),
                ('iso3', models.CharField(blank=True, max_length=3, verbose_name='ISO alpha-3')),
                ('numeric', models.CharField(blank=True, max_length=3, verbose_name='ISO numeric')),
                ('official_name_vi', models.CharField(blank=True, max_length=255, verbose_name='official Vietnamese name')),
                ('aliases', models.JSONField(blank=True, default=list, verbose_name='other spellings')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'country',
                'verbose_name_plural': 'countries',
                'ordering': ['name_vi', 'iso2'],
            },
        ),
        migrations.CreateModel(
            name='Currency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('search_text', models.TextField(blank=True, default='', editable=False)),
                ('name_en', models.CharField(max_length=200, verbose_name='English name')),
                ('name_vi', models.CharField(max_length=200, verbose_name='Vietnamese name')),
                ('code', models.CharField(max_length=3, unique=True, verbose_name='code')),
                ('numeric', models.CharField(blank=True, max_length=3, verbose_name='ISO numeric')),
                ('minor_units', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='decimal places')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'currency',
                'verbose_name_plural': 'currencies',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='Field',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('search_text', models.TextField(blank=True, default='', editable=False)),
                ('name_en', models.CharField(max_length=200, verbose_name='English name')),
                ('name_vi', models.CharField(max_length=200, verbose_name='Vietnamese name')),
                ('code', models.SlugField(max_length=64, unique=True, verbose_name='code')),
                ('aliases', models.JSONField(blank=True, default=list, verbose_name='other codes')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'field of cooperation',
                'verbose_name_plural': 'fields of cooperation',
                'ordering': ['name_vi', 'code'],
            },
        ),
        migrations.CreateModel(
            name='ForeignSubdivision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('search_text', models.TextField(blank=True, default='', editable=False)),
                ('code', models.CharField(max_length=64, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('name_vi', models.CharField(blank=True, max_length=200, verbose_name='Vietnamese name')),
                ('kind', models.CharField(choices=[('province', 'Province'), ('state', 'State'), ('prefecture', 'Prefecture'), ('region', 'Region'), ('municipality', 'Municipality'), ('special_city', 'Special city'), ('autonomous_region', 'Autonomous region'), ('capital', 'Capital'), ('city', 'City'), ('district', 'District'), ('county', 'County'), ('other', 'Other')], default='other', max_length=24, verbose_name='kind')),
                ('aliases', models.JSONField(blank=True, default=list, verbose_name='other spellings')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='subdivisions', to='core.country', verbose_name='country')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='core.foreignsubdivision', verbose_name='parent')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'foreign subdivision',
                'verbose_name_plural': 'foreign subdivisions',
                'ordering': ['country__name_vi', 'name', 'code'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalCountry',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('name_en', models.CharField(max_length=200, verbose_name='English name')),
                ('name_vi', models.CharField(max_length=200, verbose_name='Vietnamese name')),
                ('iso2', models.CharField(db_index=True, max_length=2, verbose_name='ISO code')),
                ('iso3', models.CharField(blank=True, max_length=3, verbose_name='ISO alpha-3')),
                ('numeric', models.CharField(blank=True, max_length=3, verbose_name='ISO numeric')),
                ('official_name_vi', models.CharField(blank=True, max_length=255, verbose_name='official Vietnamese name')),
                ('aliases', models.JSONField(blank=True, default=list, verbose_name='other spellings')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'historical country',
                'verbose_name_plural': 'historical countries',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCurrency',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('name_en', models.CharField(max_length=200, verbose_name='English name')),
                ('name_vi', models.CharField(max_length=200, verbose_name='Vietnamese name')),
                ('code', models.CharField(db_index=True, max_length=3, verbose_name='code')),
                ('numeric', models.CharField(blank=True, max_length=3, verbose_name='ISO numeric')),
                ('minor_units', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='decimal places')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'historical currency',
                'verbose_name_plural': 'historical currencies',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalField',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('name_en', models.CharField(max_length=200, verbose_name='English name')),
                ('name_vi', models.CharField(max_length=200, verbose_name='Vietnamese name')),
                ('code', models.SlugField(max_length=64, verbose_name='code')),
                ('aliases', models.JSONField(blank=True, default=list, verbose_name='other codes')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'historical field of cooperation',
                'verbose_name_plural': 'historical fields of cooperation',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalForeignSubdivision',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('code', models.CharField(db_index=True, max_length=64, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('name_vi', models.CharField(blank=True, max_length=200, verbose_name='Vietnamese name')),
                ('kind', models.CharField(choices=[('province', 'Province'), ('state', 'State'), ('prefecture', 'Prefecture'), ('region', 'Region'), ('municipality', 'Municipality'), ('special_city', 'Special city'), ('autonomous_region', 'Autonomous region'), ('capital', 'Capital'), ('city', 'City'), ('district', 'District'), ('county', 'County'), ('other', 'Other')], default='other', max_length=24, verbose_name='kind')),
                ('aliases', models.JSONField(blank=True, default=list, verbose_name='other spellings')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.country', verbose_name='country')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.foreignsubdivision', verbose_name='parent')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'historical foreign subdivision',
                'verbose_name_plural': 'historical foreign subdivisions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Job',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=64, verbose_name='kind')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=16, verbose_name='status')),
                ('progress', models.PositiveIntegerField(default=0, verbose_name='done')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='total')),
                ('message', models.CharField(blank=True, max_length=500, verbose_name='message')),
                ('params', models.JSONField(blank=True, default=dict)),
                ('result', models.JSONField(blank=True, default=dict)),
                ('result_file', models.FileField(blank=True, upload_to='jobs/%Y/%m/', verbose_name='result')),
                ('result_name', models.CharField(blank=True, max_length=255)),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='jobs', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'job',
                'verbose_name_plural': 'jobs',
                'ordering': ['-pk'],
            },
        ),
        migrations.CreateModel(
            name='Unit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('search_text', models.TextField(blank=True, default='', editable=False)),
                ('key', models.CharField(help_text='Stable identifier used in the API.', max_length=80, unique=True, validators=[django.core.validators.RegexValidator('^[a-z0-9]+(?:[.-][a-z0-9]+)*$', 'Use lower-case letters without diacritics, digits, hyphens and dots (da-nang.so-ngoai-vu).')], verbose_name='key')),
                ('code', models.CharField(blank=True, max_length=20, verbose_name='official code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('full_name', models.CharField(blank=True, max_length=255, verbose_name='full name')),
                ('name_en', models.CharField(blank=True, max_length=255, verbose_name='English name')),
                ('kind', models.CharField(choices=[('province', 'Province'), ('municipality', 'Centrally-run city'), ('district', 'District'), ('commune', 'Commune'), ('ward', 'Ward'), ('special_zone', 'Special zone'), ('peoples_committee', "People's Committee"), ('party_committee', 'Party Committee'), ('department', 'Department'), ('agency', 'Agency'), ('association', 'Association'), ('central_body', 'Central body')], max_length=24, verbose_name='kind')),
                ('level', models.CharField(choices=[('central', 'Central'), ('province', 'Province'), ('district', 'District'), ('commune', 'Commune'), ('organisation', 'Organisation')], editable=False, max_length=16, verbose_name='level')),
                ('is_legacy', models.BooleanField(default=False, help_text='Abolished or merged.', verbose_name='legacy unit')),
                ('valid_from', models.DateField(blank=True, null=True, verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid until')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='core.unit', verbose_name='parent unit')),
                ('root', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'unit',
                'verbose_name_plural': 'units',
                'ordering': ['is_legacy', 'level', 'name', 'key'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalUnit',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('key', models.CharField(db_index=True, help_text='Stable identifier used in the API.', max_length=80, validators=[django.core.validators.RegexValidator('^[a-z0-9]+(?:[.-][a-z0-9]+)*$', 'Use lower-case letters without diacritics, digits, hyphens and dots (da-nang.so-ngoai-vu).')], verbose_name='key')),
                ('code', models.CharField(blank=True, max_length=20, verbose_name='official code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('full_name', models.CharField(blank=True, max_length=255, verbose_name='full name')),
                ('name_en', models.CharField(blank=True, max_length=255, verbose_name='English name')),
                ('kind', models.CharField(choices=[('province', 'Province'), ('municipality', 'Centrally-run city'), ('district', 'District'), ('commune', 'Commune'), ('ward', 'Ward'), ('special_zone', 'Special zone'), ('peoples_committee', "People's Committee"), ('party_committee', 'Party Committee'), ('department', 'Department'), ('agency', 'Agency'), ('association', 'Association'), ('central_body', 'Central body')], max_length=24, verbose_name='kind')),
                ('level', models.CharField(choices=[('central', 'Central'), ('province', 'Province'), ('district', 'District'), ('commune', 'Commune'), ('organisation', 'Organisation')], editable=False, max_length=16, verbose_name='level')),
                ('is_legacy', models.BooleanField(default=False, help_text='Abolished or merged.', verbose_name='legacy unit')),
                ('valid_from', models.DateField(blank=True, null=True, verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid until')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='parent unit')),
                ('root', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit')),
            ],
            options={
                'verbose_name': 'historical unit',
                'verbose_name_plural': 'historical units',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDeclaredFigure',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('deleted_at', models.DateTimeField(blank=True, db_index=True, editable=False, null=True, verbose_name='deleted at')),
                ('indicator', models.CharField(db_index=True, max_length=64, verbose_name='indicator')),
                ('period', models.CharField(db_index=True, help_text='2013, 2017-H1 or 2016/2020', max_length=16, verbose_name='period')),
                ('value', models.DecimalField(decimal_places=4, max_digits=24, verbose_name='value')),
                ('value_max', models.DecimalField(blank=True, decimal_places=4, max_digits=24, null=True, verbose_name='upper value')),
                ('qualifier', models.CharField(choices=[('exact', 'exactly'), ('about', 'about'), ('nearly', 'nearly'), ('at_least', 'at least'), ('more_than', 'more than'), ('about_more_than', 'about more than'), ('range', 'range')], default='exact', max_length=16, verbose_name='qualifier')),
                ('currency', models.CharField(blank=True, help_text='ISO 4217 code when the figure is money: VND, USD, LAK.', max_length=3, verbose_name='currency')),
                ('source_document', models.CharField(max_length=255, verbose_name='source document')),
                ('source_date', models.DateField(blank=True, null=True, verbose_name='date of the source')),
                ('quote', models.TextField(blank=True, verbose_name='quote')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('deleted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
                ('owner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='owner unit')),
            ],
            options={
                'verbose_name': 'historical declared figure',
                'verbose_name_plural': 'historical declared figures',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='UnitSuccession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('effective_on', models.DateField(verbose_name='effective on')),
                ('basis', models.CharField(blank=True, max_length=255, verbose_name='legal basis')),
                ('predecessor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='succession_out', to='core.unit')),
                ('successor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='succession_in', to='core.unit')),
            ],
            options={
                'verbose_name': 'unit succession',
                'verbose_name_plural': 'unit successions',
            },
        ),
        migrations.AddField(
            model_name='unit',
            name='successors',
            field=models.ManyToManyField(blank=True, related_name='predecessors', through='core.UnitSuccession', to='core.unit'),
        ),
        migrations.CreateModel(
            name='IdempotencyKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=255)),
                ('path', models.CharField(max_length=500)),
                ('fingerprint', models.CharField(blank=True, default='', max_length=64)),
                ('status_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('body', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('user', 'key'), name='idempotency_key_unique')],
            },
        ),
        migrations.CreateModel(
            name='DeclaredFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('search_text', models.TextField(blank=True, default='', editable=False)),
                ('deleted_at', models.DateTimeField(blank=True, db_index=True, editable=False, null=True, verbose_name='deleted at')),
                ('indicator', models.CharField(db_index=True, max_length=64, verbose_name='indicator')),
                ('period', models.CharField(db_index=True, help_text='2013, 2017-H1 or 2016/2020', max_length=16, verbose_name='period')),
                ('value', models.DecimalField(decimal_places=4, max_digits=24, verbose_name='value')),
                ('value_max', models.DecimalField(blank=True, decimal_places=4, max_digits=24, null=True, verbose_name='upper value')),
                ('qualifier', models.CharField(choices=[('exact', 'exactly'), ('about', 'about'), ('nearly', 'nearly'), ('at_least', 'at least'), ('more_than', 'more than'), ('about_more_than', 'about more than'), ('range', 'range')], default='exact', max_length=16, verbose_name='qualifier')),
                ('currency', models.CharField(blank=True, help_text='ISO 4217 code when the figure is money: VND, USD, LAK.', max_length=3, verbose_name='currency')),
                ('source_document', models.CharField(max_length=255, verbose_name='source document')),
                ('source_date', models.DateField(blank=True, null=True, verbose_name='date of the source')),
                ('quote', models.TextField(blank=True, verbose_name='quote')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('deleted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='owner unit')),
            ],
            options={
                'verbose_name': 'declared figure',
                'verbose_name_plural': 'declared figures',
                'ordering': ['-period', 'indicator', 'owner', 'source_document'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('deleted_at__isnull', True)), fields=('owner', 'indicator', 'period', 'source_document', 'qualifier', 'value'), name='declaredfigure_unique_owner_indicator_period_source_document_qualifier_value', violation_error_message='This document already declares this figure for this unit and period.'), models.CheckConstraint(condition=models.Q(('value_max__isnull', True), ('value__isnull', True), ('value_max__gte', models.F('value')), _connector='OR'), name='declaredfigure_value_max_not_below_value', violation_error_message='The upper value must not be below the value.')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('all_objects', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='time')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='user')),
                ('action', models.CharField(choices=[('login', 'Login'), ('login_failed', 'Failed login'), ('logout', 'Logout'), ('denied', 'Permission denied'), ('create', 'Create'), ('update', 'Update'), ('delete', 'Move to trash'), ('restore', 'Restore'), ('purge', 'Purge'), ('export', 'Export'), ('import', 'Import'), ('view_personal', 'View of personal data'), ('verb', 'Action'), ('upload_refused', 'Upload refused')], db_index=True, max_length=24, verbose_name='action')),
                ('verb', models.CharField(blank=True, max_length=80, verbose_name='verb')),
                ('model', models.CharField(blank=True, max_length=80, verbose_name='record type')),
                ('object_pk', models.CharField(blank=True, max_length=64, verbose_name='record')),
                ('object_repr', models.CharField(blank=True, max_length=255, verbose_name='description')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='address')),
                ('detail', models.JSONField(blank=True, default=dict, verbose_name='detail')),
                ('prev_hash', models.CharField(editable=False, max_length=64)),
                ('hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit')),
            ],
            options={
                'verbose_name': 'audit entry',
                'verbose_name_plural': 'audit log',
                'ordering': ['-id'],
                'indexes': [models.Index(fields=['model', 'object_pk'], name='audit_object_idx')],
            },
        ),
        migrations.AddConstraint(
            model_name='unitsuccession',
            constraint=models.UniqueConstraint(fields=('predecessor', 'successor'), name='unit_succession_unique', violation_error_message='This succession is already recorded.'),
        ),
        migrations.AddConstraint(
            model_name='unitsuccession',
            constraint=models.CheckConstraint(condition=models.Q(('predecessor', models.F('successor')), _negated=True), name='unit_succession_not_self', violation_error_message='A unit cannot succeed itself.'),
        ),
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(fields=['level', 'is_legacy'], name='unit_level_legacy_idx'),
        ),
        migrations.AddConstraint(
            model_name='unit',
            constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_from__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='unit_valid_to_not_below_valid_from', violation_error_message='A unit cannot end before it starts.'),
        ),
        migrations.RunPython(create_search_indexes_and_collation, drop_search_indexes_and_collation),
    ]
