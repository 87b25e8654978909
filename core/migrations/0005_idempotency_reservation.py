# Issue 17: an Idempotency-Key is reserved (a pending row) before the request runs, and remembers the request's
# body fingerprint so that a key reused for another body is refused instead of replayed.

import django.core.serializers.json
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_total_orderings_and_rule_constraints'),
    ]

    operations = [
        migrations.AddField(
            model_name='idempotencykey',
            name='fingerprint',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AddField(
            model_name='idempotencykey',
            name='completed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='idempotencykey',
            name='status_code',
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='idempotencykey',
            name='body',
            field=models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder),
        ),
    ]
