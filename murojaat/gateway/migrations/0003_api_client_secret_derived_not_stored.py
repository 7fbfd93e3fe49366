"""API clients' secrets are no longer stored: each is derived from the key id, a generation and
settings.MUROJAAT_API_SIGNING_KEY (gateway/credentials.py); only a fingerprint is kept.

The stored secrets are dropped, so every existing client has a new secret after this migration:
show it with `manage.py rotate_api_secret NAME` and hand it to the client's operators
(docs/api.md, "Secrets")."""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def fingerprints(apps, schema_editor):
    ApiClient = apps.get_model("gateway", "ApiClient")
    master = str(settings.MUROJAAT_API_SIGNING_KEY).encode()
    for client in ApiClient.objects.all():
        message = f"murojaat-api-client:{client.key_id}:{client.secret_generation}".encode()
        secret = hmac.new(master, message, hashlib.sha256).hexdigest()
        client.secret_fingerprint = hashlib.sha256(secret.encode()).hexdigest()[:16]
        client.save(update_fields=["secret_fingerprint"])


class Migration(migrations.Migration):
    dependencies = [
        ("gateway", "0002_appeal_intake"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="apiclient",
            name="secret",
        ),
        migrations.AddField(
            model_name="apiclient",
            name="secret_fingerprint",
            field=models.CharField(
                blank=True, editable=False, max_length=16, verbose_name="secret fingerprint"
            ),
        ),
        migrations.AddField(
            model_name="apiclient",
            name="secret_generation",
            field=models.PositiveIntegerField(default=1, verbose_name="secret generation"),
        ),
        migrations.RunPython(fingerprints, migrations.RunPython.noop),
    ]
